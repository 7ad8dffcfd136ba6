using System.Globalization;
using System.Reflection;
using System.Text.Json.Serialization;

namespace Poe.WebhookBridge.Bench.Reporting;

/// <summary>
/// A scenario's absolute numbers taken from a record of what it measured: each property with a
/// <see cref="JsonPropertyNameAttribute"/> is one number, its key that name made specific to the record by
/// <paramref name="key"/> (a poller's name before it, a size after it), so one record type yields one set of keys.
/// </summary>
public static class Absolute
{
    public static void Add<T>(IDictionary<string, double> absolute, T measured, Func<string, string> key)
        where T : notnull
    {
        foreach (var property in typeof(T).GetProperties())
        {
            if (property.GetCustomAttribute<JsonPropertyNameAttribute>() is { } name)
            {
                absolute[key(name.Name)] = Convert.ToDouble(property.GetValue(measured), CultureInfo.InvariantCulture);
            }
        }
    }
}
