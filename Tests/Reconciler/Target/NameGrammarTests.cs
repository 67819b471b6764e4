using Supervisor.Reconciler.Target;

namespace Supervisor.Tests.Reconciler.Target;

public class NameGrammarTests
{
    [Theory]
    [InlineData("main")]
    [InlineData("d149c5d1551b4286a930d57284a02511")]
    [InlineData("0")]
    [InlineData("My_service.v2-x")]
    [InlineData("a..")]
    public void Docker_names_are_valid(string name)
    {
        Assert.True(NameGrammar.IsValid(name));
        Assert.Null(NameGrammar.Problem(name));
    }

    [Theory]
    [InlineData("..")]
    [InlineData(".")]
    [InlineData(".hidden")]
    [InlineData("-flag")]
    [InlineData("_x")]
    [InlineData("a/b")]
    [InlineData("aaaaaaaaaaaa/../../outside/app-X")]
    [InlineData("a\\b")]
    [InlineData("main\n")]
    [InlineData("ma in")]
    [InlineData("ünï")]
    [InlineData("a\0")]
    public void Names_outside_the_grammar_are_refused_naming_the_rule(string name)
    {
        Assert.False(NameGrammar.IsValid(name));
        Assert.Contains("starts with a letter or digit, holds only letters, digits, '_', '.' and '-'", NameGrammar.Problem(name), StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_and_overlong_names_are_refused_saying_so()
    {
        Assert.StartsWith("the name is empty", NameGrammar.Problem(""), StringComparison.Ordinal);
        Assert.True(NameGrammar.IsValid(new string('a', 255)));
        Assert.StartsWith("the name is 256 characters long", NameGrammar.Problem(new string('a', 256)), StringComparison.Ordinal);
    }
}
