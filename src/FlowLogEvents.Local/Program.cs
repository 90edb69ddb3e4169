namespace FlowLogEvents.Local;

internal static class Program
{
    private static int Main()
    {
        Console.WriteLine("FlowLogEvents local run: not implemented yet.");
        return 0;
    }
}
