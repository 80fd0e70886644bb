using Microsoft.Extensions.AI;
using RouterFunctions.Application.Chat;

namespace RouterFunctions.Application.Tests.Chat;

/// <summary>
/// What routing reads of a conversation: the latest user turn first (the encoder reads only its first tokens), then
/// the system prompt, then earlier user turns, newest first, as many user turns as Router:ChatRoutingUserTurns says.
/// </summary>
public sealed class RoutingTextTests
{
    private static readonly List<ChatMessage> Conversation =
    [
        new(ChatRole.System, "You are a tutor."),
        new(ChatRole.User, "u1"),
        new(ChatRole.Assistant, "a1"),
        new(ChatRole.User, "u2"),
        new(ChatRole.Assistant, "a2"),
        new(ChatRole.User, "u3"),
        new(ChatRole.Assistant, "a3"),
        new(ChatRole.User, "u4"),
    ];

    [Theory]
    [InlineData(1, "u4|You are a tutor.")]
    [InlineData(2, "u4|You are a tutor.|u3")]
    [InlineData(3, "u4|You are a tutor.|u3|u2")]
    [InlineData(4, "u4|You are a tutor.|u3|u2|u1")]
    [InlineData(100, "u4|You are a tutor.|u3|u2|u1")]
    public void The_latest_user_turn_comes_first_then_the_system_prompt_then_earlier_user_turns_newest_first_never_assistant_turns(int userTurns, string expected)
    {
        Assert.Equal(expected.Replace('|', '\n'), ProfileChatRouter.RoutingText(Conversation, userTurns));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public void At_least_the_latest_user_turn_is_read(int userTurns)
    {
        Assert.Equal("u4\nYou are a tutor.", ProfileChatRouter.RoutingText(Conversation, userTurns));
    }

    [Fact]
    public void Blank_user_turns_and_blank_system_prompts_are_skipped()
    {
        List<ChatMessage> messages =
        [
            new(ChatRole.System, "  "),
            new(ChatRole.System, "Be brief."),
            new(ChatRole.User, "first question"),
            new(ChatRole.User, "second question"),
            new(ChatRole.User, " "),
        ];

        Assert.Equal("second question\nBe brief.\nfirst question", ProfileChatRouter.RoutingText(messages, 2));
    }

    [Fact]
    public void Without_a_system_prompt_only_user_turns_are_read()
    {
        List<ChatMessage> messages = [new(ChatRole.User, "q1"), new(ChatRole.Assistant, "a1"), new(ChatRole.User, "q2")];

        Assert.Equal("q2\nq1", ProfileChatRouter.RoutingText(messages, 3));
    }

    [Fact]
    public void Several_system_prompts_are_read_in_order_after_the_latest_user_turn()
    {
        List<ChatMessage> messages = [new(ChatRole.System, "s1"), new(ChatRole.User, "q1"), new(ChatRole.System, "s2"), new(ChatRole.User, "q2")];

        Assert.Equal("q2\ns1\ns2\nq1", ProfileChatRouter.RoutingText(messages, 2));
    }
}
