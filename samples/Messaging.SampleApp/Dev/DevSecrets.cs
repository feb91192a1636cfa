using System.Security.Cryptography;

namespace Messaging.SampleApp.Dev;

/// <summary>
/// The sample's server secrets when none are configured: 32 random bytes each, made on first run and kept in
/// <c>App_Data</c>, outside the database, so codes still verify and links still work after a restart. A real host keeps
/// them in its secret store (Key Vault, environment) and sets <c>Messaging:DirectMessages:Pepper</c> and
/// <c>Messaging:LinkKey</c>.
/// </summary>
public static class DevSecrets
{
    /// <summary>The Direct-Message pepper, from <c>App_Data/dev-pepper.txt</c>.</summary>
    public static string Pepper(string contentRoot) => Secret(contentRoot, "dev-pepper.txt");

    /// <summary>The key reply links, download links and access codes are derived from, from <c>App_Data/dev-link-key.txt</c>.</summary>
    public static string LinkKey(string contentRoot) => Secret(contentRoot, "dev-link-key.txt");

    private static string Secret(string contentRoot, string fileName)
    {
        var path = Path.Combine(contentRoot, "App_Data", fileName);
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        File.WriteAllText(path, secret);
        return secret;
    }
}
