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

        // Read off the request's pipe, whose buffers Kestrel pools, until the body ends: the only array made is the body's
        // own, where growing a buffer of our own cost a registration several times its body (a chunked body has no length).
        var reader = request.BodyReader;
        while (true)
        {
            var read = await reader.ReadAsync(cancellationToken);
            var buffer = read.Buffer;
            if (buffer.Length > MaxBytes)
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
                return null;
            }

            if (read.IsCompleted)
            {
                var body = buffer.ToArray();
                reader.AdvanceTo(buffer.End);
                return body;
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }
}
