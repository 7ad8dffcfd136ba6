using System.Text.Json;

namespace Poe.WebhookBridge.Watches;

/// <summary>
/// The parser checks a document's structure, not the text inside its strings: invalid UTF-8 or an unpaired surrogate
/// escape (<c>"\uD800"</c>) only fails when a string is read, which was an unhandled exception (500). Checked once,
/// up front, so it is a malformed body (400).
/// </summary>
internal static class JsonText
{
    public static bool IsValidUnicode(JsonElement element)
    {
        try
        {
            return Check(element);
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static bool Check(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                _ = element.GetString();
                return true;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    _ = property.Name;
                    if (!Check(property.Value))
                    {
                        return false;
                    }
                }

                return true;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    if (!Check(item))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return true;
        }
    }
}
