namespace Poe.WebhookBridge.Operations;

internal static class AbandonedCheck
{
    /// <summary>
    /// Ends a readiness check at its time-out even while its work goes on: a statement cut off by a partition is still
    /// being cancelled by Npgsql (and its connection disposed) for seconds after the check's token fired, and awaiting
    /// that would hold /health/ready until then. The work finishes in the background.
    /// </summary>
    public static Task<T> Abandoned<T>(this Task<T> work, CancellationToken cancellationToken) => work.WaitAsync(cancellationToken);
}
