using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Poe.WebhookBridge.Bench.Reporting;

public static class Report
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    public static string Markdown(IReadOnlyList<ScenarioResult> results)
    {
        var text = new StringBuilder();
        text.AppendLine("| # | figure | value | baseline | ratio | target | met | absolute numbers |");
        text.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var result in results)
        {
            foreach (var f in result.Figures)
            {
                var met = f.Met switch { true => "yes", false => "**no**", null => "–" };
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {f.Scenario} | {f.Name} | {Format(f.Value)} {f.Unit} | {f.BaselineName}: {Format(f.Baseline)} {f.Unit} | {Format(f.Ratio)} | {f.Target} | {met} | {f.Detail} |");
            }
        }

        text.AppendLine();
        foreach (var result in results)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- **Scenario {result.Scenario} — {result.Title}** ({result.Seconds:0} s): {result.Workload}");
        }

        return text.ToString();
    }

    public static string Format(double value) => double.IsNaN(value) ? "n/a" : Math.Abs(value) >= 100 ? value.ToString("0", CultureInfo.InvariantCulture) : value.ToString("0.###", CultureInfo.InvariantCulture);

    public static async Task<string> WriteAsync(string directory, bool quick, IReadOnlyList<ScenarioResult> results, IReadOnlyDictionary<string, string> machine)
    {
        Directory.CreateDirectory(directory);
        var document = new
        {
            generated_at = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            mode = quick ? "quick" : "full",
            machine,
            scenarios = results,
            markdown = Markdown(results),
        };
        var json = JsonSerializer.Serialize(document, Json);
        var name = $"{DateTime.UtcNow:yyyyMMdd-HHmmss}{(quick ? "-quick" : "")}.json";
        var path = Path.Combine(directory, name);
        await File.WriteAllTextAsync(path, json);
        await File.WriteAllTextAsync(Path.Combine(directory, quick ? "latest-quick.json" : "latest.json"), json);
        return path;
    }
}
