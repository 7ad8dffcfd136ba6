using System.Text.Json.Serialization;

namespace Poe.WebhookBridge.Bench.Reporting;

/// <summary>
/// One row of the table: a figure of the bridge beside a baseline measured in the same run. <see cref="Ratio"/> is always
/// figure / baseline; <see cref="HigherIsBetter"/> says which way is good, and the target is a bound on the ratio.
/// </summary>
public sealed record Figure(
    [property: JsonPropertyName("scenario")] int Scenario,
    [property: JsonPropertyName("figure")] string Name,
    [property: JsonPropertyName("value")] double Value,
    [property: JsonPropertyName("baseline_name")] string BaselineName,
    [property: JsonPropertyName("baseline")] double Baseline,
    [property: JsonPropertyName("unit")] string Unit,
    [property: JsonPropertyName("higher_is_better")] bool HigherIsBetter,
    [property: JsonPropertyName("target")] string Target,
    [property: JsonPropertyName("target_ratio")] double? TargetRatio,
    [property: JsonPropertyName("detail")] string Detail,
    [property: JsonIgnore] bool? MetOverride = null)
{
    [JsonPropertyName("ratio")]
    public double Ratio => Baseline == 0 ? double.NaN : Value / Baseline;

    /// <summary>Null when the figure has no target.</summary>
    [JsonPropertyName("met")]
    public bool? Met => MetOverride ?? (TargetRatio is not { } bound || double.IsNaN(Ratio) ? null : (HigherIsBetter ? Ratio >= bound : Ratio <= bound));
}

/// <summary>What a scenario measured, plus the exact workload so a reader can reproduce it.</summary>
public sealed record ScenarioResult(
    [property: JsonPropertyName("scenario")] int Scenario,
    [property: JsonPropertyName("title")] string Title,
    [property: JsonPropertyName("workload")] string Workload,
    [property: JsonPropertyName("seconds")] double Seconds,
    [property: JsonPropertyName("figures")] IReadOnlyList<Figure> Figures,
    [property: JsonPropertyName("absolute")] IReadOnlyDictionary<string, double> Absolute);
