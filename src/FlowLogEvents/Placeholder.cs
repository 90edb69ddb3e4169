namespace FlowLogEvents;

internal static class AssemblyMarker
{
}
