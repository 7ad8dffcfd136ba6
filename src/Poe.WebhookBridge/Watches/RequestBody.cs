using System.Buffers;

namespace Poe.WebhookBridge.Watches;

internal static class RequestBody
{
    public const int MaxBytes = 64 * 1024;

    /// <summary>The body, or null when it exceeds <see cref="MaxBytes"/> (checked while reading, not only from Content-Length).</summary>
    public static async Task<byte[]?> ReadLimitedAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBytes)
        {
            return null;
        }

        var buffer = new ArrayBufferWriter<byte>();
        while (true)
        {
            var memory = buffer.GetMemory(8192);
            var read = await request.Body.ReadAsync(memory, cancellationToken);
            if (read == 0)
            {
                return buffer.WrittenSpan.ToArray();
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > MaxBytes)
            {
                return null;
            }
        }
    }
}
