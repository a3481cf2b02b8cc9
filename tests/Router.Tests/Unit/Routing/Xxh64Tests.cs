using System.Text;
using Requesty.Router.Routing;

namespace Requesty.Router.Tests.Unit.Routing;

public sealed class Xxh64Tests
{
    [Theory]
    [InlineData("", 0xEF46DB3751D8E999UL)]
    [InlineData("a", 0xD24EC4F1A98C6E5BUL)]
    [InlineData("abc", 0x44BC2CF5AD770999UL)]
    [InlineData("Nobody inspects the spammish repetition", 0xFBCEA83C8A378BF1UL)]
    [InlineData("user-12345", 0x64797FCA50BFC10CUL)]
    public void Published_vectors_of_text(string text, ulong expected) =>
        Assert.Equal(expected, Xxh64.Hash(text));

    // Bytes 0, 1, 2, ... of the given length; values from the reference C implementation (libxxhash 0.8.1).
    // The lengths cover every tail path (1, 4, 8 bytes) and both sides of the 32-byte stripe boundary.
    [Theory]
    [InlineData(1, 0xE934A84ADB052768UL, 0x5014607643A9B4C3UL)]
    [InlineData(3, 0xE5C7BB4533BC65DDUL, 0x47AA45ED39ED5541UL)]
    [InlineData(4, 0xFFCED8604453CC1EUL, 0xB8F1A51893FA14E6UL)]
    [InlineData(7, 0x14CC643F630C72D2UL, 0x13F31C4A8E5F8252UL)]
    [InlineData(8, 0x884A173614B81B8DUL, 0xCB74EF9D044DCF44UL)]
    [InlineData(9, 0x67D85784A7C78C5BUL, 0xEC2D11FCD3825091UL)]
    [InlineData(15, 0xA948F5F0F6ABAC2DUL, 0x04AE9246817C4B6BUL)]
    [InlineData(16, 0x44B6EF2FB84169F7UL, 0x673E90AEBEAC5689UL)]
    [InlineData(31, 0xC346D2B59B4D8EE1UL, 0x71969C89A30A986AUL)]
    [InlineData(32, 0xCBF59C5116FF32B4UL, 0x7181354774E0D600UL)]
    [InlineData(33, 0x0C535D1ACAFB8EADUL, 0x57BD8AD0A0390E6DUL)]
    [InlineData(63, 0xE26AA9E2A95F8E4FUL, 0x892362045C7BADFBUL)]
    [InlineData(64, 0xF7C67301DB6713F0UL, 0x6E545403B828CF8BUL)]
    [InlineData(65, 0xC31EB63B2AE4465BUL, 0x82A6B6606BD9EF0FUL)]
    [InlineData(100, 0x6AC1E58032166597UL, 0x8832442A88284F11UL)]
    [InlineData(256, 0x1FACBE8406CD904BUL, 0xD48195F45908996CUL)]
    public void Reference_vectors_across_lengths_with_seed_0_and_a_prime_seed(int length, ulong seed0, ulong seedPrime)
    {
        var input = Enumerable.Range(0, length).Select(i => (byte)i).ToArray();
        Assert.Equal(seed0, Xxh64.Hash(input));
        Assert.Equal(seedPrime, Xxh64.Hash(input, 0x9E3779B1));
    }

    [Fact]
    public void Text_is_hashed_as_utf8() =>
        Assert.Equal(Xxh64.Hash(Encoding.UTF8.GetBytes("trace-é-42")), Xxh64.Hash("trace-é-42"));
}
