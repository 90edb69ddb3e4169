using Xunit;
using System.Text.Json;
using FlowLogEvents.Tests.Fixtures;

namespace FlowLogEvents.Tests.Corpus;

/// <summary>
/// The bad-input corpus under Fixtures/corpus: each folder has a manifest.json listing its cases, each
/// with its input (a file, or a generator named in <c>generate</c>) and its expected outcome.
/// </summary>
public static class CorpusManifest
{
    public static IReadOnlyList<JsonElement> Cases(string folder)
    {
        using var document = JsonDocument.Parse(FixtureFiles.Bytes(Path.Combine("corpus", folder, "manifest.json")));
        return document.RootElement.EnumerateArray().Select(c => c.Clone()).ToList();
    }

    public static JsonElement Case(string folder, string name) =>
        Cases(folder).Single(c => c.GetProperty("case").GetString() == name);

    /// <summary>Case names, for [MemberData].</summary>
    public static TheoryData<string> Names(string folder)
    {
        var data = new TheoryData<string>();
        foreach (var c in Cases(folder))
        {
            data.Add(c.GetProperty("case").GetString()!);
        }

        return data;
    }

    public static byte[] FileBytes(string folder, JsonElement c) =>
        FixtureFiles.Bytes(Path.Combine("corpus", folder, c.GetProperty("file").GetString()!));

    public static string? StringOrNull(JsonElement c, string name) =>
        c.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
