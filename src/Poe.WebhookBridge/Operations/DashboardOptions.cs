namespace Poe.WebhookBridge.Operations;

public sealed class DashboardOptions
{
    public const string SectionName = "Dashboard";

    public string? Username { get; set; }

    public string? Password { get; set; }

    public bool HasCredentials => !string.IsNullOrEmpty(Username) && !string.IsNullOrEmpty(Password);
}
