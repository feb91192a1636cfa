using System.Text;
using Messaging.Providers.Twilio.Webhooks;

namespace Messaging.Providers.Twilio.Tests.Webhooks;

/// <summary>X-Twilio-Signature, checked against Twilio's published vectors; anything tampered with fails.</summary>
public sealed class RequestValidatorTests
{
    private readonly TwilioRequestValidator _validator = new(SignatureVectors.AuthToken);

    [Fact]
    public void The_documentation_example_is_valid()
        => _validator.IsValid(SignatureVectors.Url, SignatureVectors.DocsParameters, "RSOYDt4T1cUTdK1PDd93/VVr8B8=").Should().BeTrue();

    [Fact]
    public void The_current_documentation_example_is_valid()
        => _validator.IsValid(SignatureVectors.Url, SignatureVectors.CurrentDocsParameters, "0/KCTR6DLpKmkAf8muzZqo1nDgQ=").Should().BeTrue();

    [Fact]
    public void The_signature_is_computed_as_Twilio_documents()
        => _validator.ComputeSignature(SignatureVectors.Url, SignatureVectors.DocsParameters).Should().Be("RSOYDt4T1cUTdK1PDd93/VVr8B8=");

    // twilio-csharp's RequestValidatorTest, verbatim: each URL with the signature Twilio's C# library accepts for it.
    [Theory]
    [InlineData("https://MyCompany.com/myapp.php?foo=1&bar=2", "g9IN/x4Cft2g517EjYvEvM/W7LU=")]
    [InlineData("https://MyCompany.com:1234/myapp.php?foo=1&bar=2", "PCqOZm8cnu/L6+u5i5fuEd+Iac4=")]
    [InlineData("http://MyCompany.com/myapp.php?foo=1&bar=2", "XY7AlKOKL6im4yWyX84gldUrtis=")]
    [InlineData("http://username:password@MyCompany.com/myapp.php?foo=1&bar=2", "PJ08CxXr7KLPjEQCTc8LkUSMwSM=")]
    [InlineData("HTTP://username:password@MyCompany.com/myapp.php?foo=1&bar=2", "hy/l8pca+LFms4cvRdv8uiP6NGc=")]
    [InlineData("http://Username:Password@MyCompany.com/myapp.php?foo=1&bar=2", "SkTSKyDJH9kUlhItI0slbgZ1UsI=")]
    [InlineData("https://mycompany.com:1234/myapp.php?foo=1&bar=2", "RSOYDt4T1cUTdK1PDd93/VVr8B8=")] // removes the port (https)
    [InlineData("http://mycompany.com:1234/myapp.php?foo=1&bar=2", "Zmvh+3yNM1Phv2jhDCwEM3q5ebU=")] // keeps a custom port (http)
    [InlineData("https://mycompany.com/myapp.php?foo=1&bar=2", "kvajT1Ptam85bY51eRf/AJRuM3w=")] // adds :443
    [InlineData("http://mycompany.com/myapp.php?foo=1&bar=2", "0ZXoZLH/DfblKGATFgpif+LLRf4=")] // adds :80
    [InlineData("https://mycompany.com:1234/myapp.php?foo=1&bar=2", "CYn1h0gLBdNxDGkKJg6hYohgeD8=")] // keeps a custom port (https)
    [InlineData("https://user:pass@mycompany.com/myapp.php?foo=1&bar=2", "CukzLTc1tT5dXEDIHm/tKBanW10=")] // twilio-php: credentials
    [InlineData("https://user@mycompany.com/myapp.php?foo=1&bar=2", "2YRLlVAflCqxaNicjMpJcSTgzSs=")] // twilio-php: user only
    [InlineData("https://user:pass@mycompany.com/myapp.php?foo=1&bar=2", "ZQFR1PTIZXF2MXB8ZnKCvnnA+rI=")] // twilio-php: credentials, :443
    public void Twilio_library_vectors_for_ports_case_and_credentials_are_valid(string url, string signature)
        => _validator.IsValid(url, SignatureVectors.DocsParameters, signature).Should().BeTrue();

    [Theory]
    [InlineData("https://MyCompany.com/myapp.php?foo=1&bar=2")]
    [InlineData("https://MyCompany.com:1234/myapp.php?foo=1&bar=2")]
    [InlineData("http://MyCompany.com/myapp.php?foo=1&bar=2")]
    public void Twilio_library_vectors_with_the_signature_of_another_url_are_invalid(string url)
        => _validator.IsValid(url, SignatureVectors.DocsParameters, "RSOYDt4T1cUTdK1PDd93/VVr8B8=").Should().BeFalse();

    [Fact]
    public void A_uri_is_used_as_given_without_lower_casing_its_host()
        => _validator.IsValid(new Uri("https://MyCompany.com/myapp.php?foo=1&bar=2"), SignatureVectors.DocsParameters, "g9IN/x4Cft2g517EjYvEvM/W7LU=").Should().BeTrue();

    [Fact]
    public void A_repeated_parameter_signs_each_distinct_value_once_in_order()
    {
        KeyValuePair<string, string>[] parameters =
        [
            new("Sid", "CA123"),
            new("SidAccount", "AC123"),
            new("Digits", "5678"),
            new("Digits", "1234"),
            new("Digits", "1234"),
        ];

        _validator.IsValid(SignatureVectors.Url, parameters, "IK+Dwps556ElfBT0I3Rgjkr1wJU=").Should().BeTrue();
    }

    [Fact]
    public void Parameter_order_does_not_matter()
        => _validator.IsValid(SignatureVectors.Url, SignatureVectors.DocsParameters.Reverse(), "RSOYDt4T1cUTdK1PDd93/VVr8B8=").Should().BeTrue();

    [Fact]
    public void A_tampered_parameter_value_fails()
    {
        var tampered = SignatureVectors.DocsParameters.Select(p => p.Key == "Digits" ? new KeyValuePair<string, string>("Digits", "9999") : p);

        _validator.IsValid(SignatureVectors.Url, tampered, "RSOYDt4T1cUTdK1PDd93/VVr8B8=").Should().BeFalse();
    }

    [Fact]
    public void An_added_parameter_fails()
    {
        var added = SignatureVectors.DocsParameters.Append(new("MessageStatus", "delivered"));

        _validator.IsValid(SignatureVectors.Url, added, "RSOYDt4T1cUTdK1PDd93/VVr8B8=").Should().BeFalse();
    }

    [Fact]
    public void A_removed_parameter_fails()
        => _validator.IsValid(SignatureVectors.Url, SignatureVectors.DocsParameters.Where(p => p.Key != "To"), "RSOYDt4T1cUTdK1PDd93/VVr8B8=").Should().BeFalse();

    [Theory]
    [InlineData("https://mycompany.com/myapp.php?foo=1&bar=3")]
    [InlineData("https://mycompany.com/myapp.php?foo=1")]
    [InlineData("https://evil.example/myapp.php?foo=1&bar=2")]
    [InlineData("http://mycompany.com/myapp.php?foo=1&bar=2")]
    [InlineData("https://mycompany.com/otherapp.php?foo=1&bar=2")]
    public void A_tampered_url_fails(string url)
        => _validator.IsValid(url, SignatureVectors.DocsParameters, "RSOYDt4T1cUTdK1PDd93/VVr8B8=").Should().BeFalse();

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("NOTRSOYDt4T1cUTdK1PDd93/VVr8B8=")]
    [InlineData("rsoydt4t1cutdk1pdd93/vvr8b8=")]
    [InlineData("RSOYDt4T1cUTdK1PDd93/VVr8B8")]
    public void A_missing_or_wrong_signature_fails(string? signature)
        => _validator.IsValid(SignatureVectors.Url, SignatureVectors.DocsParameters, signature).Should().BeFalse();

    [Fact]
    public void Another_accounts_token_fails()
        => new TwilioRequestValidator("54321").IsValid(SignatureVectors.Url, SignatureVectors.DocsParameters, "RSOYDt4T1cUTdK1PDd93/VVr8B8=").Should().BeFalse();

    [Fact]
    public void The_body_hash_is_Twilios()
        => TwilioRequestValidator.ComputeBodyHash(Encoding.UTF8.GetBytes(SignatureVectors.Body)).Should().Be(SignatureVectors.BodyHash);

    [Fact]
    public void A_json_body_signed_through_bodySHA256_is_valid()
    {
        var url = SignatureVectors.Url + "&bodySHA256=" + SignatureVectors.BodyHash;

        _validator.IsValidWithBody(url, SignatureVectors.Body, "a9nBmqA0ju/hNViExpshrM61xv4=").Should().BeTrue();
        _validator.IsValidWithBody(url, Encoding.UTF8.GetBytes(SignatureVectors.Body), "a9nBmqA0ju/hNViExpshrM61xv4=").Should().BeTrue();
    }

    [Fact]
    public void A_json_body_with_only_the_hash_in_the_query_is_valid()
        => _validator.IsValidWithBody("https://mycompany.com/myapp.php?bodySHA256=" + SignatureVectors.BodyHash, SignatureVectors.Body, "y77kIzt2vzLz71DgmJGsen2scGs=")
            .Should().BeTrue();

    [Theory]
    [InlineData("{\"property\": \"value\", \"boolean\": false}")]
    [InlineData("{\"property\": \"value\", \"boolean\": true} ")]
    [InlineData("")]
    public void A_tampered_json_body_fails(string body)
        => _validator.IsValidWithBody(SignatureVectors.Url + "&bodySHA256=" + SignatureVectors.BodyHash, body, "a9nBmqA0ju/hNViExpshrM61xv4=").Should().BeFalse();

    [Fact]
    public void A_json_body_whose_url_lacks_bodySHA256_fails_even_with_the_urls_own_signature()
        => _validator.IsValidWithBody(SignatureVectors.Url, SignatureVectors.Body, "RSOYDt4T1cUTdK1PDd93/VVr8B8=").Should().BeFalse();

    [Fact]
    public void A_json_body_with_a_tampered_url_fails()
        => _validator.IsValidWithBody("https://mycompany.com/myapp.php?foo=2&bar=2&bodySHA256=" + SignatureVectors.BodyHash, SignatureVectors.Body, "a9nBmqA0ju/hNViExpshrM61xv4=")
            .Should().BeFalse();

    [Fact]
    public void A_json_body_with_a_missing_signature_fails()
        => _validator.IsValidWithBody(SignatureVectors.Url + "&bodySHA256=" + SignatureVectors.BodyHash, SignatureVectors.Body, null).Should().BeFalse();

    [Theory]
    [InlineData("https://mycompany.com/a", "https://mycompany.com/a", "https://mycompany.com:443/a")]
    [InlineData("https://mycompany.com:8443/a?b=1", "https://mycompany.com/a?b=1", "https://mycompany.com:8443/a?b=1")]
    [InlineData("http://u:p@Host.example/x#frag", "http://u:p@Host.example/x#frag", "http://u:p@Host.example:80/x#frag")]
    [InlineData("https://[::1]:9000/hook", "https://[::1]/hook", "https://[::1]:9000/hook")]
    [InlineData("https://[::1]/hook", "https://[::1]/hook", "https://[::1]:443/hook")]
    [InlineData("https://mycompany.com", "https://mycompany.com", "https://mycompany.com:443")]
    public void Port_variants_change_only_the_port(string url, string withoutPort, string withPort)
        => TwilioRequestValidator.PortVariants(url).Should().Be((withoutPort, withPort));
}
