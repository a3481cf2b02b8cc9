using System.Text.Json;
using Requesty.Analytics.Application.Access;
using Requesty.Analytics.Application.Queries.Common;

namespace Requesty.Analytics.Application.Queries.Metrics;

/// <summary>A validated POST /v1/analytics/query request.</summary>
public sealed record MetricQuery(
    RequestScope Scope, string Metric, string Calculation, AnalyticsField? GroupBy, TimeGrouping TimeGrouping, int Limit)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 1000;

    private static readonly string[] AllowedProperties =
        ["org_id", "metric", "calculation", "group_by", "time_grouping", "from", "to", "filters", "limit"];

    private static readonly TimeGrouping[] AllowedGroupings = [TimeGrouping.None, TimeGrouping.Minute, TimeGrouping.Hour, TimeGrouping.Day];

    /// <summary>Validates the JSON body field by field; returns null when <paramref name="errors"/> has entries.</summary>
    public static MetricQuery? Parse(JsonElement body, ValidationErrors errors, AnalyticsCaller? caller = null)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors.Add("body", "The body must be a JSON object.");
            return null;
        }
        foreach (var property in body.EnumerateObject().Where(p => !AllowedProperties.Contains(p.Name)))
            errors.Add(property.Name, $"Unknown field. Allowed: {string.Join(", ", AllowedProperties)}.");

        caller ??= AnalyticsCaller.Service;
        var org = caller.ResolveOrganization(String(body, "org_id", errors), errors);
        var metric = String(body, "metric", errors);
        if (metric is null) errors.Add("metric", $"metric is required: {string.Join(", ", MetricCatalog.MetricNames)}.");
        else if (!MetricCatalog.IsMetric(metric)) errors.Add("metric", $"Unknown metric. Allowed: {string.Join(", ", MetricCatalog.MetricNames)}.");

        var calculation = String(body, "calculation", errors) ?? "sum";
        if (!MetricCatalog.IsCalculation(calculation))
            errors.Add("calculation", $"Unknown calculation. Allowed: {string.Join(", ", MetricCatalog.CalculationNames)}.");
        else if (metric is not null && MetricCatalog.IsMetric(metric) && !MetricCatalog.Supports(metric, calculation))
            errors.Add("calculation", $"The metric '{metric}' only supports the calculation 'sum' (the number of requests).");

        AnalyticsField? groupBy = null;
        var groupName = String(body, "group_by", errors);
        if (groupName is not null and not "none")
        {
            groupBy = AnalyticsFields.Resolve(groupName, out var groupError);
            if (groupBy is null) errors.Add("group_by", groupError!);
        }

        var grouping = TimeGroupings.Parse(String(body, "time_grouping", errors), AllowedGroupings, TimeGrouping.None, errors, "time_grouping");
        var range = errors.ParseRange(String(body, "from", errors), String(body, "to", errors));
        if (range is { } r) grouping?.CheckBuckets(r.From, r.To, errors, "time_grouping");

        var limit = DefaultLimit;
        if (body.TryGetProperty("limit", out var limitElement) && limitElement.ValueKind != JsonValueKind.Null
            && (!limitElement.TryGetInt32(out limit) || limit is < 1 or > MaxLimit))
            errors.Add("limit", $"limit must be an integer between 1 and {MaxLimit}.");

        var filters = ParseFilters(body, errors);
        if (errors.Any) return null;
        return new MetricQuery(new RequestScope(org, range!.Value.From, range.Value.To, filters) { Access = caller.Access }, metric!, calculation, groupBy, grouping!.Value, limit);
    }

    private static List<FieldFilter> ParseFilters(JsonElement body, ValidationErrors errors)
    {
        if (!body.TryGetProperty("filters", out var element) || element.ValueKind == JsonValueKind.Null) return [];
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add("filters", "filters must be an object of field -> \"value1,value2\" (with '*' wildcards).");
            return [];
        }
        var raw = new List<KeyValuePair<string, string?>>();
        foreach (var property in element.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.String) raw.Add(new(property.Name, property.Value.GetString()));
            else errors.Add($"filters.{property.Name}", "A filter value must be a string (comma-separated values, '*' as wildcard).");
        }
        return FieldFilter.ParseAll(raw, errors, "filters");
    }

    private static string? String(JsonElement body, string name, ValidationErrors errors)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind == JsonValueKind.String) return value.GetString();
        errors.Add(name, $"{name} must be a string.");
        return null;
    }
}
