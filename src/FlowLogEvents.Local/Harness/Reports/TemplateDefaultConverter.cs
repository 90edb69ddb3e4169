using System.Text.Json;
using System.Text.Json.Serialization;

namespace FlowLogEvents.Local.Harness.Reports;

/// <summary>An option that overrides a template default: its number, or the text "template default" when it is not set.</summary>
public sealed class TemplateDefaultConverter : JsonConverter<double?>
{
    public const string Text = "template default";

    public override bool HandleNull => true;

    public override double? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Number ? reader.GetDouble() : null;

    public override void Write(Utf8JsonWriter writer, double? value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is { } v)
        {
            writer.WriteNumberValue(v);
        }
        else
        {
            writer.WriteStringValue(Text);
        }
    }
}
