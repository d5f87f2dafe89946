/// Bots (`bots:`): the bot row through the bots routes (server/channels/api4/bot.go), roles and tokens
/// through the user routes as for any account, and the bots nobody declares (`unmanaged_bots`).
extension PlanBuilder {
  mutating func planDeclaredBots() {
    guard !manifest.bots.isEmpty else { return }
    guard let bots = live.bots else {
      fail(nil, "bots are declared but the server's bots could not be read")
      return
    }
    let byID = Dictionary(bots.map { ($0.userID, $0) }, uniquingKeysWith: { a, _ in a })
    for spec in manifest.bots where !accounts.isProtected(spec.username) {
      guard let user = accounts.byName[spec.username] else {
        planCreateBot(spec)
        continue
      }
      guard user.isBot, !user.isRemote, let bot = byID[user.id] else {
        let what = user.isRemote ? "a remote user" : (user.isBot ? "a bot roster cannot read" : "a user, not a bot")
        fail(spec.username, "\(spec.username) is \(what) on the server; roster does not turn one into the other")
        continue
      }
      planExistingBot(spec, user, bot)
    }
  }

  /// The owner's id and the create it waits for; nil (with an error) for a name that is no user. The
  /// server refuses a bot as owner (api4/bot.go assignBot: 403 assign_bot) and never checks that the
  /// owner exists, so roster checks.
  mutating func botOwner(_ name: String, for bot: String) -> (id: String?, after: [Int])? {
    if let user = accounts.byName[name] {
      guard user.isManageable else {
        fail(bot, "owner \(name) is a \(user.isBot ? "bot" : "remote user"); a bot's owner is a local user")
        return nil
      }
      return (user.id, [])
    }
    if let create = steps.first(where: { $0.kind == .createUser && $0.username == name }) {
      return (nil, [create.index])
    }
    fail(bot, "owner \(name) is neither a user on the server nor one this plan creates")
    return nil
  }

  mutating func planCreateBot(_ spec: BotSpec) {
    let name = spec.username
    if live.acting.isBot {
      // api4/bot.go createBot refuses a session whose user is a bot (403 create_bot).
      fail(
        name,
        "cannot create bot \(name): roster runs as the bot \(live.acting.username), and the server refuses to let a "
          + "bot create bots (403); run this plan with a human admin's token (MM_TOKEN)")
      return
    }
    let create = add(
      Step(
        .bot(.createBot(displayName: spec.displayName ?? "", description: spec.description ?? "")), username: name,
        userID: nil))
    // The creator owns a new bot (api4/bot.go createBot: OwnerId is the session's user).
    if let owner = spec.owner, owner != ServerRules.normalizeUsername(live.acting.username),
      let (id, after) = botOwner(owner, for: name)
    {
      add(
        Step(.bot(.assignBot(from: live.acting.username, to: owner, ownerID: id)), username: name, userID: nil),
        after: [create] + after)
    }
    // model/bot.go UserFromBot: a new bot's user has exactly system_user.
    if let roles = spec.roles, roles != ["system_user"] {
      add(
        Step(
          .user(.setRoles(before: ["system_user"], after: roles)), username: name, userID: nil,
          reason: "a new bot has system_user"),
        after: [create])
    }
    for token in spec.tokens ?? [] { addTokenCreate(token, name: name, userID: nil, after: [create]) }
    if !spec.active {
      add(Step(.bot(.disableBot), username: name, userID: nil, reason: "declared active: false"), after: [create])
    }
  }

  mutating func planExistingBot(_ spec: BotSpec, _ user: LiveUser, _ bot: LiveBot) {
    let name = spec.username
    let acting = accounts.isActing(user)
    // Disabling sets both delete_at; deactivating the bot's user alone leaves the bot row (app/bot.go
    // UpdateBotActive), and enabling brings both back.
    if spec.active && !(user.isActive && bot.isActive) {
      add(
        Step(
          .bot(.enableBot), username: name, userID: user.id, reason: user.isSystemAdmin ? Plan.reactivatesAdmin : nil))
    }
    var changes: [FieldChange] = []
    if let value = spec.displayName, value != bot.displayName {
      changes.append(FieldChange(field: "display_name", old: bot.displayName, new: value))
    }
    if let value = spec.description, value != bot.description {
      changes.append(FieldChange(field: "description", old: bot.description, new: value))
    }
    if !changes.isEmpty { add(Step(.bot(.updateBot(changes)), username: name, userID: user.id)) }
    if let owner = spec.owner, let (id, after) = botOwner(owner, for: name), id != bot.ownerID {
      let from = live.users.first { $0.id == bot.ownerID }?.username ?? bot.ownerID
      add(Step(.bot(.assignBot(from: from, to: owner, ownerID: id)), username: name, userID: user.id), after: after)
    }
    if let roles = spec.roles, Set(roles) != user.roleSet { planRoles(roles, of: user, name: name, acting: acting) }
    if let declared = spec.tokens { planTokens(declared, of: user, name: name, acting: acting) }
    if !spec.active && (user.isActive || bot.isActive) {
      if acting {
        warn(name, "not disabling the bot roster runs as (roster never locks itself out)")
      } else {
        add(Step(.bot(.disableBot), username: name, userID: user.id, reason: "declared active: false"))
      }
    }
  }

  /// `unmanaged_bots: disable`: every active bot nobody declares, except the acting bot and protected
  /// names. `unmanaged_users` never touches bots.
  mutating func planUnmanagedBots() {
    guard manifest.settings.unmanagedBots == .disable, let bots = live.bots else { return }
    let declared = Set(manifest.bots.map(\.username))
    let users = Dictionary(live.users.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
    for bot in bots.sorted(by: { $0.username < $1.username }) {
      let name = ServerRules.normalizeUsername(bot.username)
      guard let user = users[bot.userID], user.isActive || bot.isActive, !declared.contains(name),
        !accounts.isProtected(name)
      else { continue }
      if accounts.isActing(user) {
        warn(name, "not disabling the bot roster runs as, although the manifest does not declare it")
        continue
      }
      add(
        Step(.bot(.disableBot), username: name, userID: user.id, reason: "not in the manifest; unmanaged_bots: disable")
      )
    }
  }

  /// A declared active bot whose owner this plan deactivates: the server disables the owner's bots with
  /// the owner (app/user.go userDeactivated -> app/bot.go disableUserBots, while
  /// ServiceSettings.DisableBotsWhenOwnerIsDeactivated is on, the default), so the apply would end with the
  /// bot disabled and the next plan would enable it again. The manifest has to choose: another owner, or
  /// the bot declared inactive.
  /// Run once before `--only` and `--skip-errored` drop steps (so the error can be skipped like any
  /// user's) and once after (a dropped reassignment must not leave the owner's deactivation behind).
  mutating func checkOwnersOfActiveBots() {
    guard let bots = live.bots else { return }
    let deactivated = Set(steps.filter { $0.kind == .deactivateUser }.compactMap(\.userID))
    guard !deactivated.isEmpty else { return }
    let liveOwner = Dictionary(bots.map { (ServerRules.normalizeUsername($0.username), $0.ownerID) }) { a, _ in a }
    for spec in manifest.bots where spec.active {
      let assigned = steps.last { step in
        guard step.username == spec.username, case .bot(.assignBot) = step.change else { return false }
        return true
      }
      let owner: String?
      if let assigned, case .bot(.assignBot(_, _, let id)) = assigned.change {
        owner = id
      } else {
        owner = liveOwner[spec.username]
      }
      guard let owner, deactivated.contains(owner), !reportedBots.contains(spec.username) else { continue }
      reportedBots.insert(spec.username)
      // The deactivation's own name: the owner may be renamed in the same plan.
      let name = steps.first { $0.kind == .deactivateUser && $0.userID == owner }?.username ?? owner
      // Filed under the owner: --skip-errored then keeps the owner active rather than losing the bot.
      fail(
        name,
        "bot \(spec.username) is declared active, but its owner \(name) is deactivated by this plan and the server "
          + "disables a deactivated user's bots (DisableBotsWhenOwnerIsDeactivated): give the bot another owner "
          + "(owner:) or declare it active: false")
    }
  }
}
