using Microsoft.AspNetCore.Http.HttpResults;

namespace Poe.Simulator;

/// <summary>Poe's error body: <c>{"error":{"message","type","code"}}</c>.</summary>
public sealed record PoeError(PoeErrorDetail Error);
