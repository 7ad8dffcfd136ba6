using System.Text.RegularExpressions;

namespace Poe.WebhookBridge.Clients;

internal static partial class ClientName
{
    public static bool IsValid(string name) => Pattern().IsMatch(name);

    [GeneratedRegex(@"^[A-Za-z0-9_-]{1,64}\z")]
    private static partial Regex Pattern();
}
