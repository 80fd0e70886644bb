using System.ComponentModel.DataAnnotations;
using RouterFunctions.Application.Configuration;

namespace RouterFunctions.Application.Tests.Configuration;

public sealed class SettingsAnnotationsTests
{
    private readonly SettingsAnnotations<Sample> _validation = new("Sample");

    [Fact]
    public void Valid_settings_pass()
    {
        Assert.True(_validation.Validate(null, new Sample()).Succeeded);
    }

    [Fact]
    public void Each_broken_annotation_is_a_line_naming_the_key_the_value_and_the_allowed_values()
    {
        var result = _validation.Validate(null, new Sample { Count = 0, Name = "", Code = "a-1" });

        Assert.Equal(
            [
                "Sample:Count = '0': out of range; use a value from 1 to 9",
                "Sample:Name = '': is required; set Sample:Name",
                "Sample:Code = 'a-1': does not match ^[a-z]+$; use a value of that form",
            ],
            result.Failures);
    }

    [Fact]
    public void A_cross_field_rule_names_its_member_and_value_once_the_fields_are_valid()
    {
        Assert.Equal(["Sample:Count = '3': odd with Strict; use an even Count"], _validation.Validate(null, new Sample { Count = 3, Strict = true }).Failures);
        Assert.Equal(["Sample:Count = '0': out of range; use a value from 1 to 9"], _validation.Validate(null, new Sample { Count = 0, Strict = true }).Failures);
    }

    private sealed class Sample : IValidatableObject
    {
        [Range(1, 9)]
        public int Count { get; set; } = 2;

        [Required]
        public string Name { get; set; } = "x";

        [RegularExpression("^[a-z]+$")]
        public string Code { get; set; } = "abc";

        public bool Strict { get; set; }

        public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
        {
            if (Strict && Count % 2 == 1)
            {
                yield return new ValidationResult("odd with Strict; use an even Count", [nameof(Count)]);
            }
        }
    }
}
