namespace FlowLogEvents.Local.Iam;

/// <summary>
/// IAM's wildcards: <c>*</c> matches any run of characters (also none, also across <c>/</c> and <c>:</c>),
/// <c>?</c> exactly one. Actions compare case-insensitively, resources and condition values with
/// <c>*Like</c> operators case-sensitively.
/// </summary>
public static class IamWildcard
{
    public static bool Matches(string pattern, string value, bool ignoreCase = false)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        ArgumentNullException.ThrowIfNull(value);
        if (ignoreCase)
        {
            pattern = pattern.ToLowerInvariant();
            value = value.ToLowerInvariant();
        }

        // Iterative glob match with backtracking to the last '*'.
        int p = 0, v = 0, star = -1, mark = 0;
        while (v < value.Length)
        {
            if (p < pattern.Length && (pattern[p] == '?' || pattern[p] == value[v]))
            {
                p++;
                v++;
            }
            else if (p < pattern.Length && pattern[p] == '*')
            {
                star = p++;
                mark = v;
            }
            else if (star >= 0)
            {
                p = star + 1;
                v = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (p < pattern.Length && pattern[p] == '*')
        {
            p++;
        }

        return p == pattern.Length;
    }
}
