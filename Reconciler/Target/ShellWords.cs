using System.Text;

namespace Supervisor.Reconciler.Target;

/// <summary>
/// Splits a compose <c>command</c> or <c>entrypoint</c> string into words the way a POSIX shell would for simple
/// cases, which is what compose does: whitespace separates words; single quotes keep everything up to the next
/// single quote; double quotes keep everything up to the next unescaped double quote, where a backslash escapes only
/// <c>"</c>, <c>\</c>, <c>$</c> and <c>`</c>; outside quotes a backslash keeps the next character. Nothing else is
/// special: there is no variable expansion, globbing, or operators such as <c>|</c>, <c>;</c> or <c>&amp;&amp;</c>
/// (they stay in the words), so <c>sh -c '...'</c> is the way to ask for a shell.
/// </summary>
internal static class ShellWords
{
    /// <summary>Returns the words, or null with the reason the text cannot be split.</summary>
    public static List<string>? Split(string text, out string problem)
    {
        List<string> words = [];
        StringBuilder word = new();
        bool inWord = false;
        problem = string.Empty;

        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }

                continue;
            }

            // Quotes start a word even when they enclose nothing: '' is an empty argument.
            inWord = true;
            switch (c)
            {
                case '\'':
                    int close = text.IndexOf('\'', i + 1);
                    if (close < 0)
                    {
                        problem = $"the single quote at position {i} is not closed";
                        return null;
                    }

                    word.Append(text, i + 1, close - i - 1);
                    i = close;
                    break;

                case '"':
                    int start = i;
                    for (i++; i < text.Length && text[i] != '"'; i++)
                    {
                        if (text[i] == '\\' && i + 1 < text.Length && text[i + 1] is '"' or '\\' or '$' or '`')
                        {
                            i++;
                        }

                        word.Append(text[i]);
                    }

                    if (i == text.Length)
                    {
                        problem = $"the double quote at position {start} is not closed";
                        return null;
                    }

                    break;

                case '\\':
                    if (i + 1 == text.Length)
                    {
                        problem = "it ends with a backslash that escapes nothing";
                        return null;
                    }

                    word.Append(text[++i]);
                    break;

                default:
                    word.Append(c);
                    break;
            }
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return words;
    }
}
