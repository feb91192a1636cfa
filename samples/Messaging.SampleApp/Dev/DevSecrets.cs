using System.Security.Cryptography;

namespace Messaging.SampleApp.Dev;

/// <summary>
/// The sample's Direct-Message pepper when none is configured: 32 random bytes made on first run and kept in
/// <c>App_Data/dev-pepper.txt</c>, outside the database, so codes still verify after a restart. A real host keeps the
/// pepper in its secret store (Key Vault, environment) and sets <c>Messaging:DirectMessages:Pepper</c>.
/// </summary>
public static class DevSecrets
{
    public static string Pepper(string contentRoot)
    {
        var path = Path.Combine(contentRoot, "App_Data", "dev-pepper.txt");
        if (File.Exists(path))
        {
            return File.ReadAllText(path).Trim();
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var pepper = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        File.WriteAllText(path, pepper);
        return pepper;
    }
}
