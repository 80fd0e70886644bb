using Microsoft.Extensions.Options;
using RouterFunctions.Application.Configuration;
using RouterFunctions.Http;

namespace RouterFunctions.Local.Tests.Configuration;

/// <summary>Which start-up failures are the user's configuration (one line, exit 2) and which still crash.</summary>
public sealed class StartupGuardTests
{
    [Fact]
    public void A_configuration_error_is_its_own_line()
    {
        var error = new ConfigurationError("Config", "/x.json", "no such file", "give one");

        Assert.Equal("Config = '/x.json': no such file; give one", StartupGuard.Explain(new ConfigurationException(error)));
    }

    [Fact]
    public void Of_several_validation_failures_the_first_is_the_line()
    {
        var invalid = new OptionsValidationException("", typeof(object), ["first = '1': bad; fix", "second"]);

        Assert.Equal("first = '1': bad; fix", StartupGuard.Explain(new AggregateException(new InvalidOperationException("other"), invalid)));
    }

    [Fact]
    public void A_value_the_binder_cannot_convert_names_the_key_the_value_and_the_type()
    {
        var unconvertible = new InvalidOperationException("Failed to convert configuration value 'soon' at 'Storage:ProfilePollSeconds' to type 'System.Double'.");

        Assert.Equal("Storage:ProfilePollSeconds = 'soon': not a valid Double; use a number, e.g. 0.25", StartupGuard.Explain(unconvertible));
    }

    [Fact]
    public void A_port_in_use_names_the_address_and_what_to_do()
    {
        // Kestrel's exception when another process holds the port, as it throws it from Run.
        var bind = new IOException("Failed to bind to address http://127.0.0.1:7071: address already in use.", new Microsoft.AspNetCore.Connections.AddressInUseException("Address already in use"));

        Assert.Equal(
            "Failed to bind to address http://127.0.0.1:7071: address already in use; stop the process listening there, or start with --urls http://localhost:<another port>",
            StartupGuard.Explain(bind));
    }

    [Fact]
    public void Anything_else_is_not_explained_and_so_still_crashes()
    {
        Assert.Null(StartupGuard.Explain(new InvalidOperationException("Cannot resolve scoped service")));
        Assert.Null(StartupGuard.Explain(new FileNotFoundException("a file the code needs")));
    }
}
