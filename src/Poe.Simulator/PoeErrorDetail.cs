using Microsoft.AspNetCore.Http.HttpResults;

namespace Poe.Simulator;

public sealed record PoeErrorDetail(string Message, string Type, string? Code);
