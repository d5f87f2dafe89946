extension StepKind {
  public static let createBot = StepKind("create_bot")
  public static let enableBot = StepKind("enable_bot")
  public static let updateBot = StepKind("update_bot")
  public static let assignBot = StepKind("assign_bot")
  public static let disableBot = StepKind("disable_bot")
}

/// A change to a bot's own row (server/channels/api4/bot.go). A bot's roles and tokens live on its user
/// and change through the user routes, as `UserChange.setRoles` and `TokenChange` steps naming the bot.
public enum BotChange: Sendable, Equatable {
  /// POST /bots with the step's username; the acting user becomes the owner (api4/bot.go createBot sets
  /// OwnerId to the session's user), so a declared owner is an `assignBot` after it.
  case createBot(displayName: String, description: String)
  /// PUT /bots/{bot_user_id} with the changed fields (`display_name`, `description`); the server
  /// registers no PATCH route for bots (api4/bot.go InitBot) and its PUT applies a BotPatch.
  case updateBot([FieldChange])
  /// POST /bots/{bot_user_id}/assign/{user_id}. `ownerID` is nil only for an owner this plan creates
  /// (the step then depends on that create). `from` is the owner's username before, when known.
  case assignBot(from: String?, to: String, ownerID: String?)
  /// POST /bots/{bot_user_id}/enable: the bot's user is reactivated with it (app/bot.go UpdateBotActive).
  case enableBot
  /// POST /bots/{bot_user_id}/disable: the bot's user is deactivated and its sessions end.
  case disableBot

  static let kinds: [StepKind] = [.createBot, .enableBot, .updateBot, .assignBot, .disableBot]

  var kind: StepKind {
    switch self {
    case .createBot: .createBot
    case .enableBot: .enableBot
    case .updateBot: .updateBot
    case .assignBot: .assignBot
    case .disableBot: .disableBot
    }
  }

  var phase: Phase {
    switch self {
    case .createBot: .create
    case .enableBot: .reactivate
    case .updateBot, .assignBot: .profile
    case .disableBot: .deactivate
    }
  }

  var isDestructive: Bool { self == .disableBot }

  var effect: ChangeEffect {
    switch self {
    case .createBot: .add
    case .disableBot: .remove
    default: .change
    }
  }

  func mapStrings(_ transform: (String) -> String) -> Change { .bot(mapped(transform)) }

  private func mapped(_ transform: (String) -> String) -> BotChange {
    switch self {
    case .createBot(let name, let text): .createBot(displayName: transform(name), description: transform(text))
    case .updateBot(let list):
      .updateBot(
        list.map { FieldChange(field: transform($0.field), old: $0.old.map(transform), new: transform($0.new)) })
    case .assignBot(let from, let to, let id): .assignBot(from: from.map(transform), to: transform(to), ownerID: id)
    case .enableBot, .disableBot: self
    }
  }
}

extension Step {
  public var botChange: BotChange? { if case .bot(let change) = change { change } else { nil } }
}
