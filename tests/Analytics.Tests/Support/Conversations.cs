using System.Security.Cryptography;
using System.Text;
using Requesty.Contracts.Events;

namespace Requesty.Analytics.Tests.Support;

/// <summary>Scripted multi-turn chats with the session hashes the router computes (prefix = all sent messages but the last).</summary>
public static class Conversations
{
    public static string Hash(IEnumerable<string> messages) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\u001f", messages))));

    /// <summary>One request per turn: turn k sends system + (user, assistant) of earlier turns + user k, and gets assistant k.</summary>
    public static List<RequestCompleted> Chat(Guid org, string system, (string User, string Assistant)[] turns, DateTime[] at, decimal costPerTurn = 0.01m)
    {
        var history = new List<string> { system };
        var requests = new List<RequestCompleted>();
        for (var i = 0; i < turns.Length; i++)
        {
            var prefix = Hash(history);
            history.Add(turns[i].User);
            history.Add(turns[i].Assistant);
            requests.Add(Events.Completed(org, startedAt: at[i], cost: costPerTurn) with
            {
                Session = new SessionHashes { PrefixHash = prefix, ConversationHash = Hash(history), FirstMessageHash = Hash([turns[0].User]) },
            });
        }
        return requests;
    }
}
