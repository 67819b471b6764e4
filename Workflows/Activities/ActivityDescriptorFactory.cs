using System.ComponentModel;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Supervisor.Workflows.Activities;

/// <summary>Reads an activity class's type name, ports and outcomes from its declaration.</summary>
public static class ActivityDescriptorFactory
{
    public static ActivityDescriptor Describe(Type activityType)
    {
        ArgumentNullException.ThrowIfNull(activityType);
        var generic = FindGenericBase(activityType)
            ?? throw new ArgumentException($"{activityType.FullName} does not derive from WorkflowActivity<TInput, TOutput>.", nameof(activityType));
        var (inputType, outputType) = (generic.GetGenericArguments()[0], generic.GetGenericArguments()[1]);

        var name = activityType.GetCustomAttribute<ActivityTypeAttribute>()?.Name ?? activityType.Name;
        var outcomes = activityType.GetCustomAttribute<ActivityOutcomesAttribute>()?.Outcomes ?? [WorkflowActivity<NoInput, NoOutput>.Done];
        var description = activityType.GetCustomAttribute<DescriptionAttribute>()?.Description;
        var rerunOnResume = activityType.GetCustomAttribute<RerunOnResumeAttribute>() is not null;
        var withoutWriteAhead = activityType.GetCustomAttribute<WithoutWriteAheadAttribute>() is not null;
        return new ActivityDescriptor(name, activityType, Ports(inputType), Ports(outputType), outcomes, description, rerunOnResume, withoutWriteAhead);
    }

    private static Type? FindGenericBase(Type type)
    {
        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (current.IsGenericType && current.GetGenericTypeDefinition() == typeof(WorkflowActivity<,>))
            {
                return current;
            }
        }

        return null;
    }

    private static List<ActivityPort> Ports(Type type)
    {
        var naming = WorkflowJson.Options.PropertyNamingPolicy ?? JsonNamingPolicy.CamelCase;
        return type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0 && p.DeclaringType != typeof(object))
            .Where(p => p.Name != "EqualityContract")
            .Select(p => new ActivityPort(
                naming.ConvertName(p.Name),
                KindOf(p.PropertyType),
                p.GetCustomAttribute<RequiredMemberAttribute>() is not null,
                p.GetCustomAttribute<DescriptionAttribute>()?.Description))
            .ToList();
    }

    private static ValueKind KindOf(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string) || type == typeof(TimeSpan) || type == typeof(DateTimeOffset) || type == typeof(Guid) || type.IsEnum)
        {
            return ValueKind.String;
        }

        if (type == typeof(bool))
        {
            return ValueKind.Boolean;
        }

        if (type == typeof(int) || type == typeof(long) || type == typeof(short) || type == typeof(uint) || type == typeof(ulong))
        {
            return ValueKind.Integer;
        }

        if (type == typeof(double) || type == typeof(float) || type == typeof(decimal))
        {
            return ValueKind.Number;
        }

        if (type == typeof(JsonElement) || type == typeof(object) || type == typeof(System.Text.Json.Nodes.JsonNode))
        {
            return ValueKind.Any;
        }

        if (type.IsArray || (type.IsGenericType && typeof(System.Collections.IEnumerable).IsAssignableFrom(type) && !IsDictionary(type)))
        {
            return ValueKind.Array;
        }

        return ValueKind.Object;
    }

    private static bool IsDictionary(Type type) =>
        type.GetInterfaces().Append(type).Any(i => i.IsGenericType &&
            (i.GetGenericTypeDefinition() == typeof(IDictionary<,>) || i.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>)));
}
