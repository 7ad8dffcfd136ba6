namespace Poe.Simulator;

// A named class (no top-level statements) so a test project can reference both
// the simulator and the bridge without two global `Program` types colliding.
public static class Program
{
    public static Task Main(string[] args) => SimulatorApp.Build(args).RunAsync();
}
