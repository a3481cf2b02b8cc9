using System.Security.Cryptography;
using System.Text;

namespace Requesty.ProviderSimulator.Generation;

/// <summary>Unit-length vectors derived from a SHA-256 stream of the input: same input, same vector.</summary>
public static class EmbeddingVectors
{
    public static float[] For(string input, int dimensions)
    {
        var seed = Encoding.UTF8.GetBytes(input);
        var vector = new float[dimensions];
        var block = new byte[seed.Length + 4];
        seed.CopyTo(block, 0);
        Span<byte> hash = stackalloc byte[32];
        for (var i = 0; i < dimensions; i += 16)
        {
            BitConverter.TryWriteBytes(block.AsSpan(seed.Length), i);
            SHA256.HashData(block, hash);
            for (var j = 0; j < 16 && i + j < dimensions; j++)
            {
                var raw = BitConverter.ToUInt16(hash.Slice(j * 2, 2));
                vector[i + j] = raw / 32767.5f - 1f;
            }
        }
        var norm = Math.Sqrt(vector.Sum(v => (double)v * v));
        if (norm == 0) return vector;
        for (var i = 0; i < vector.Length; i++) vector[i] = (float)(vector[i] / norm);
        return vector;
    }

    public static string ToBase64(float[] vector)
    {
        var bytes = new byte[vector.Length * 4];
        for (var i = 0; i < vector.Length; i++) BitConverter.TryWriteBytes(bytes.AsSpan(i * 4), vector[i]);
        return Convert.ToBase64String(bytes);
    }
}
