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
            await using var body = await response.Content.ReadAsStreamAsync(httpContext.RequestAborted);
            await body.CopyToAsync(httpContext.Response.Body, httpContext.RequestAborted);
        }
    }
}
