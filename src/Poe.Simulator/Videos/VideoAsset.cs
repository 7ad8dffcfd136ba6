namespace Poe.Simulator.Videos;

/// <summary>A file a completed video serves, with its media type.</summary>
public sealed record VideoAsset(byte[] Bytes, string ContentType);
