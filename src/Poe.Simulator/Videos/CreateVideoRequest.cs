
namespace Poe.Simulator.Videos;

/// <summary>
/// Body of <c>POST /v1/videos</c>: Poe's fields (<c>model</c> a bot name, <c>seconds</c>, <c>size</c>, <c>prompt</c>,
/// <c>input_image</c>) plus the simulator's own <c>id</c> and <c>simulation</c>. Every field is optional; the model's
/// defaults fill the rest.
/// </summary>
public sealed record CreateVideoRequest(
    string? Id, string? Model, int? Seconds, string? Size, string? Prompt, string? InputImage, SimulationRequest? Simulation)
{
    /// <param name="error">Poe's message; <paramref name="code"/> its error code.</param>
    public bool TryToSpec(out VideoSpec spec, out string error, out string code)
    {
        spec = new VideoSpec();
        code = "invalid_simulation";
        if (!(Simulation ?? SimulationRequest.None).TryApply(spec, out spec, out error))
            return false;

        code = "invalid_request";
        if (VideoModels.Find(Model ?? VideoModels.DefaultName) is not { } model)
        {
            (error, code) = ($"Unknown model '{Model}'.", "model_not_found");
            return false;
        }

        var seconds = Seconds ?? model.DefaultSeconds;
        var size = Size ?? model.DefaultSize;
        error = !model.Seconds.Contains(seconds) ? $"{model.Name} makes videos of {string.Join(", ", model.Seconds)} seconds."
            : !model.Sizes.Contains(size) ? $"{model.Name} makes videos of size {string.Join(", ", model.Sizes)}."
            : "";
        if (error.Length > 0)
            return false;

        spec = spec with { Id = string.IsNullOrWhiteSpace(Id) ? null : Id, Model = model.Name, Seconds = seconds, Size = size, Prompt = Prompt };
        return true;
    }
}
