using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Options;

namespace RouterFunctions.Application.Configuration;

/// <summary>
/// The options' data annotations (and <see cref="IValidatableObject"/> rules), failing with
/// <see cref="ConfigurationError"/> lines that name the setting by its configuration key (<c>Router:Seed</c>), its
/// value and the allowed values, where <c>ValidateDataAnnotations</c> names a C# member.
/// </summary>
internal sealed class SettingsAnnotations<TOptions>(string section) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<ConfigurationError>();
        foreach (var property in typeof(TOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var value = property.GetIndexParameters().Length == 0 ? property.GetValue(options) : null;
            foreach (var attribute in property.GetCustomAttributes<ValidationAttribute>())
            {
                var context = new ValidationContext(options) { MemberName = property.Name, DisplayName = Key(property.Name) };
                if (attribute.GetValidationResult(value, context) is { } failure && failure != ValidationResult.Success)
                {
                    errors.Add(Describe(Key(property.Name), value, attribute, failure));
                }
            }
        }

        // Cross-field rules only once each field is valid on its own, as Validator.TryValidateObject does.
        if (errors.Count == 0 && options is IValidatableObject validatable)
        {
            foreach (var failure in validatable.Validate(new ValidationContext(options)))
            {
                var member = failure.MemberNames.FirstOrDefault();
                var value = member is null ? null : typeof(TOptions).GetProperty(member)?.GetValue(options);
                errors.Add(new ConfigurationError(member is null ? section : Key(member), Format(value), failure.ErrorMessage ?? "is not valid", null));
            }
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors.Select(e => e.ToString()));
    }

    private string Key(string member) => $"{section}:{member}";

    private static ConfigurationError Describe(string key, object? value, ValidationAttribute attribute, ValidationResult failure) => attribute switch
    {
        RangeAttribute range => new(key, Format(value), "out of range", $"use a value from {Format(range.Minimum)} to {Format(range.Maximum)}"),
        RequiredAttribute => new(key, Format(value), "is required", $"set {key}"),
        RegularExpressionAttribute pattern => new(key, Format(value), $"does not match {pattern.Pattern}", "use a value of that form"),
        _ => new(key, Format(value), failure.ErrorMessage ?? "is not valid", null),
    };

    private static string? Format(object? value) => Convert.ToString(value, CultureInfo.InvariantCulture);
}
