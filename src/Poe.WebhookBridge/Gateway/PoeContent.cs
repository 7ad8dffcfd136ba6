namespace Poe.WebhookBridge.Gateway;

/// <summary>
/// Poe's content answer passed on as it arrives: its type and length, then the body copied through a small buffer,
/// so a video never sits whole in the bridge's memory.
/// </summary>
internal sealed class PoeContent(HttpResponseMessage response) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        using (response)
        {
            httpContext.Response.StatusCode = StatusCodes.Status200OK;
            httpContext.Response.ContentType = response.Content.Headers.ContentType?.ToString() ?? "application/octet-stream";
            httpContext.Response.ContentLength = response.Content.Headers.ContentLength;
            try
            {
                await using var body = await response.Content.ReadAsStreamAsync(httpContext.RequestAborted);
                await body.CopyToAsync(httpContext.Response.Body, httpContext.RequestAborted);
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException || (ex is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested))
            {
                // Poe's stream broke, or the caller left: the status is sent already, so cutting the connection is the
                // only way to tell the caller the file is incomplete (its Content-Length is not reached either).
                httpContext.Abort();
            }
        }
    }
}
