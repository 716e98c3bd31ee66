using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace McpPlatform.Knowledge.Store.Embedded;

/// <summary>
/// Per-vector scaled int8 copies of vectors with a bound on how far their dot product can be
/// from the exact one. With <c>x' = q·Inverse</c> the dequantised vector,
/// <c>a·b − a'·b' = a·(b − b') + (a − a')·b'</c>, so by Cauchy–Schwarz
/// <c>|a·b − a'·b'| ≤ ‖a‖·Error(b) + Error(a)·Norm(b')</c>. Search uses that bound to prune
/// without ever dropping a true top-K result (see <see cref="QuantizedVectorBlocks{TOwner}.Search"/>).
/// </summary>
internal static class Int8Quantizer
{
    /// <summary>Slack for float rounding in the approximate and the exact dot products (both ≪ this).</summary>
    public const float RoundingSlack = 1e-4f;

    public static QuantizedInfo Quantize(ReadOnlySpan<float> vector, Span<sbyte> output)
    {
        var max = MathF.Abs(TensorPrimitives.MaxMagnitude(vector));
        if (max == 0)
        {
            output.Clear();
            return default;
        }

        var scale = 127f / max;
        var inverse = max / 127f;
        double error = 0, norm = 0;
        for (var i = 0; i < vector.Length; i++)
        {
            var level = Math.Clamp((int)MathF.Round(vector[i] * scale), -127, 127);
            output[i] = (sbyte)level;
            var restored = level * inverse;
            error += (vector[i] - restored) * (double)(vector[i] - restored);
            norm += restored * (double)restored;
        }

        return new QuantizedInfo(inverse, (float)Math.Sqrt(error), (float)Math.Sqrt(norm));
    }

    /// <summary>Exact integer dot product of two int8 vectors (|sum| ≤ 127² × length fits in int32 for any supported length).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Dot(ReadOnlySpan<sbyte> a, ReadOnlySpan<sbyte> b)
    {
        var i = 0;
        var sum = 0;
        if (Avx2.IsSupported && a.Length >= 16)
        {
            ref var left = ref MemoryMarshal.GetReference(a);
            ref var right = ref MemoryMarshal.GetReference(b);
            var accumulator = Vector256<int>.Zero;
            for (; i <= a.Length - 16; i += 16)
            {
                // Widen 16 × int8 to int16, multiply pairwise and add adjacent pairs into int32 lanes.
                var x = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref left, (nuint)i));
                var y = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref right, (nuint)i));
                accumulator = Avx2.Add(accumulator, Avx2.MultiplyAddAdjacent(x, y));
            }

            sum = Vector256.Sum(accumulator);
        }

        for (; i < a.Length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }
}

/// <summary>How to read an int8 vector: value = level × <see cref="Inverse"/>; <see cref="Error"/> = ‖x − x'‖; <see cref="Norm"/> = ‖x'‖.</summary>
internal readonly record struct QuantizedInfo(float Inverse, float Error, float Norm);
