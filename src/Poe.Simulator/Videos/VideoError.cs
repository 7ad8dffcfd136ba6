
namespace Poe.Simulator.Videos;

public sealed record VideoError(string Code, string Message);
