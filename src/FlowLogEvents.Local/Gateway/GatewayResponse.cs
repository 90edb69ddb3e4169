using System.Net;

namespace FlowLogEvents.Local.Gateway;

/// <summary>An answer the gateway gives itself instead of relaying: status, content type, body and extra headers.</summary>
public sealed record GatewayResponse(HttpStatusCode Status, string? ContentType, byte[] Body, IReadOnlyList<KeyValuePair<string, string>> Headers);
