namespace Poe.Simulator.Videos;

public enum VideoOutcome
{
    Completed,
    Failed,
}
