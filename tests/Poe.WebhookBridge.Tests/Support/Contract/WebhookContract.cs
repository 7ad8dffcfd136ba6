namespace Poe.WebhookBridge.Tests.Support.Contract;

/// <summary>
/// Judges the webhook bodies a test receiver gets by the payload schema of the served document, aside from the request
/// (so the check never delays the answer or the arrival times tests measure), and reports what it rejected when asked.
/// </summary>
public sealed class WebhookContract
{
    private readonly ContractLog _log = new();
    private readonly List<Task> _checks = [];

    public void Judge(string webhookId, string body)
    {
        lock (_checks)
        {
            _checks.Add(Task.Run(() => CheckAsync(webhookId, body)));
        }
    }

    public async Task AssertNoneAsync()
    {
        Task[] checks;
        lock (_checks)
        {
            checks = [.. _checks];
        }

        await Task.WhenAll(checks);
        _log.AssertNone();
    }

    private async Task CheckAsync(string webhookId, string body)
    {
        // Published when the process's first in-process bridge starts; processes that run the bridge elsewhere have none.
        if (!ContractDocument.Current.IsCompleted)
        {
            return;
        }

        var errors = (await ContractDocument.Current).CheckWebhook(body);
        if (errors.Count > 0)
        {
            _log.Record($"webhook {webhookId}", errors, body);
        }
    }
}
