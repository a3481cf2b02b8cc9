using System.Text.Json;
using System.Text.Json.Nodes;
using Requesty.ProviderSimulator.Generation;
using Requesty.ProviderSimulator.Tests.Support;

namespace Requesty.ProviderSimulator.Tests.Generation;

public class JsonSampleGeneratorTests
{
    private static JsonNode? Generate(string schema, out JsonNode parsedSchema)
    {
        parsedSchema = JsonNode.Parse(schema)!;
        return JsonSampleGenerator.Generate(parsedSchema);
    }

    private static JsonNode? GenerateValid(string schema)
    {
        var value = Generate(schema, out var parsed);
        Assert.Empty(SchemaValidator.Validate(value, parsed));
        return value;
    }

    [Theory]
    [InlineData("""{"type":"string"}""", JsonValueKind.String)]
    [InlineData("""{"type":"integer"}""", JsonValueKind.Number)]
    [InlineData("""{"type":"number"}""", JsonValueKind.Number)]
    [InlineData("""{"type":"boolean"}""", JsonValueKind.True)]
    [InlineData("""{"type":"object"}""", JsonValueKind.Object)]
    [InlineData("""{"type":"array","items":{"type":"string"}}""", JsonValueKind.Array)]
    [InlineData("""{"type":"STRING"}""", JsonValueKind.String)]
    [InlineData("""{"type":["null","integer"]}""", JsonValueKind.Number)]
    public void Every_type_produces_a_value_of_that_type(string schema, JsonValueKind kind)
    {
        var value = GenerateValid(schema);
        Assert.Equal(kind, value!.GetValueKind());
    }

    [Fact]
    public void Null_type_produces_null()
    {
        Assert.Null(GenerateValid("""{"type":"null"}"""));
    }

    [Fact]
    public void Integers_are_whole_numbers()
    {
        var value = GenerateValid("""{"type":"integer"}""");
        Assert.Equal(1, value!.GetValue<long>());
    }

    [Fact]
    public void Enum_picks_one_of_the_values()
    {
        var value = GenerateValid("""{"type":"string","enum":["celsius","fahrenheit"]}""");
        Assert.Equal("celsius", value!.GetValue<string>());
    }

    [Fact]
    public void Const_is_returned_as_is()
    {
        var value = GenerateValid("""{"const":{"kind":"fixed","n":3}}""");
        Assert.Equal(3, value!["n"]!.GetValue<int>());
    }

    [Fact]
    public void Objects_contain_required_and_declared_properties()
    {
        var value = GenerateValid("""
            {"type":"object","additionalProperties":false,
             "properties":{"location":{"type":"string"},"unit":{"type":"string","enum":["c","f"]},"days":{"type":"integer","minimum":1,"maximum":7}},
             "required":["location","unit"]}
            """)!.AsObject();
        Assert.True(value.ContainsKey("location"));
        Assert.Equal("c", value["unit"]!.GetValue<string>());
        Assert.InRange(value["days"]!.GetValue<long>(), 1, 7);
    }

    [Fact]
    public void Nested_objects_and_arrays_of_objects_are_filled_in()
    {
        var value = GenerateValid("""
            {"type":"object","required":["order"],
             "properties":{"order":{"type":"object","required":["id","lines","customer"],
               "properties":{"id":{"type":"string","format":"uuid"},
                 "customer":{"type":"object","required":["email"],"properties":{"email":{"type":"string","format":"email"}}},
                 "lines":{"type":"array","minItems":2,"items":{"type":"object","required":["sku","qty","price"],
                   "properties":{"sku":{"type":"string","minLength":5},"qty":{"type":"integer","exclusiveMinimum":0},"price":{"type":"number","minimum":0.5,"maximum":10}}}}}}}}
            """)!;
        var lines = value["order"]!["lines"]!.AsArray();
        Assert.Equal(2, lines.Count);
        Assert.Contains("@", value["order"]!["customer"]!["email"]!.GetValue<string>());
    }

    [Fact]
    public void Numeric_bounds_and_multiples_are_respected()
    {
        GenerateValid("""{"type":"integer","minimum":10,"maximum":20,"multipleOf":5}""");
        GenerateValid("""{"type":"integer","exclusiveMinimum":10,"exclusiveMaximum":12}""");
        GenerateValid("""{"type":"number","exclusiveMinimum":0,"exclusiveMaximum":1}""");
        GenerateValid("""{"type":"number","maximum":-3}""");
        GenerateValid("""{"type":"integer","minimum":5,"exclusiveMinimum":true}""".Replace("\"exclusiveMinimum\":true", "\"exclusiveMinimum\":5"));
    }

    [Fact]
    public void String_lengths_and_formats_are_respected()
    {
        Assert.Equal(40, GenerateValid("""{"type":"string","minLength":40}""")!.GetValue<string>().Length);
        Assert.Equal(3, GenerateValid("""{"type":"string","maxLength":3}""")!.GetValue<string>().Length);
        GenerateValid("""{"type":"string","format":"date-time"}""");
        GenerateValid("""{"type":"string","format":"uuid"}""");
    }

    [Fact]
    public void Array_length_bounds_are_respected()
    {
        Assert.Equal(3, GenerateValid("""{"type":"array","items":{"type":"integer"},"minItems":3}""")!.AsArray().Count);
        Assert.Empty(GenerateValid("""{"type":"array","items":{"type":"integer"},"maxItems":0}""")!.AsArray());
        var tuple = GenerateValid("""{"type":"array","prefixItems":[{"type":"string"},{"type":"boolean"}]}""")!.AsArray();
        Assert.Equal(JsonValueKind.String, tuple[0]!.GetValueKind());
    }

    [Fact]
    public void AnyOf_prefers_a_non_null_alternative()
    {
        var value = GenerateValid("""{"anyOf":[{"type":"null"},{"type":"integer"}]}""");
        Assert.Equal(JsonValueKind.Number, value!.GetValueKind());
        GenerateValid("""{"oneOf":[{"type":"string"},{"type":"integer"}]}""");
    }

    [Fact]
    public void AllOf_merges_the_parts()
    {
        var value = GenerateValid("""
            {"allOf":[{"type":"object","properties":{"a":{"type":"string"}},"required":["a"]},
                      {"properties":{"b":{"type":"integer"}},"required":["b"]}]}
            """)!.AsObject();
        Assert.True(value.ContainsKey("a") && value.ContainsKey("b"));
    }

    [Fact]
    public void Local_refs_resolve_and_recursion_terminates()
    {
        var value = GenerateValid("""
            {"type":"object","required":["root"],"properties":{"root":{"$ref":"#/$defs/node"}},
             "$defs":{"node":{"type":"object","required":["name"],"properties":{"name":{"type":"string"},
               "children":{"type":"array","items":{"$ref":"#/$defs/node"}}}}}}
            """);
        Assert.NotNull(value!["root"]!["name"]);
    }

    [Fact]
    public void Schemaless_tool_arguments_are_an_empty_object()
    {
        Assert.Empty(JsonSampleGenerator.GenerateObject(null));
    }

    [Fact]
    public void Generation_is_deterministic()
    {
        const string schema = """{"type":"object","properties":{"x":{"type":"number"},"y":{"type":"array","items":{"type":"string"}}}}""";
        Assert.Equal(Generate(schema, out _)!.ToJsonString(), Generate(schema, out _)!.ToJsonString());
    }
}
