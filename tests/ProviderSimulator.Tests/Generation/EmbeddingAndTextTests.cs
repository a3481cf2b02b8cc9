using Requesty.ProviderSimulator.Generation;

namespace Requesty.ProviderSimulator.Tests.Generation;

public class EmbeddingAndTextTests
{
    [Fact]
    public void Embeddings_are_deterministic_unit_vectors()
    {
        var first = EmbeddingVectors.For("hello", 64);
        var again = EmbeddingVectors.For("hello", 64);
        var other = EmbeddingVectors.For("world", 64);
        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
        Assert.Equal(1.0, Math.Sqrt(first.Sum(v => (double)v * v)), 4);
    }

    [Fact]
    public void Token_count_is_a_quarter_of_the_characters_rounded_up()
    {
        Assert.Equal(0, TokenCounter.Count(""));
        Assert.Equal(1, TokenCounter.Count("abc"));
        Assert.Equal(2, TokenCounter.Count("abcde"));
    }

    [Fact]
    public void Stream_chunks_concatenate_back_to_the_text()
    {
        const string text = "Hello from the simulator (openai/gpt-4o). You said: hi  there";
        Assert.Equal(text, string.Concat(AnswerText.Chunks(text)));
        Assert.Equal(text, string.Concat(AnswerText.Slices(text, 7)));
    }

    [Fact]
    public void Png_has_a_valid_signature()
    {
        var png = PngImage.Create("abc");
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, png[..8]);
        Assert.Equal(png, PngImage.Create("abc"));
    }
}
