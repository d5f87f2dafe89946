/// A bot's own row (store/sqlstore/bot_store.go `bot`): its username and display name live on its user
/// (first_name), as the store's queries join them in. `deleteAt` is the bot's own and moves apart from
/// the user's: deactivating a bot's user leaves it, disabling the bot sets both (app/bot.go
/// UpdateBotActive).
struct BotRecord: Sendable {
  var userID: String
  var description: String
  /// The user who created it, or whoever it was assigned to; never checked to exist (plugins own bots too).
  var ownerID: String
  var lastIconUpdate: Int64 = 0
  var createAt: Int64
  var updateAt: Int64
  var deleteAt: Int64 = 0

  /// model/bot.go Bot, field order and omitempty rules kept (display_name, description and
  /// last_icon_update are omitempty).
  func json(user: UserRecord) -> JSONValue {
    var fields: [(String, JSONValue)] = [("user_id", .string(userID)), ("username", .string(user.username))]
    if !user.firstName.isEmpty { fields.append(("display_name", .string(user.firstName))) }
    if !description.isEmpty { fields.append(("description", .string(description))) }
    fields.append(("owner_id", .string(ownerID)))
    if lastIconUpdate != 0 { fields.append(("last_icon_update", .int(lastIconUpdate))) }
    fields += [("create_at", .int(createAt)), ("update_at", .int(updateAt)), ("delete_at", .int(deleteAt))]
    return .object(fields)
  }
}
