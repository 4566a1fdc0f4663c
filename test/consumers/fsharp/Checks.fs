/// The checks of the F# consumer app: synthesize a stack, read its template, compare what matters and count.
/// Every check prints one PASS or FAIL line naming the stack, the repository and the setting, with what it wanted
/// and got; a check that throws fails with the exception's message.
module Checks

open System
open System.IO
open System.Text.Json
open System.Text.Json.Nodes
open Amazon.CDK
open Amazon.CDK.Assertions

let mutable private passed = 0
let mutable private failed = 0

let private report ok (what: string) (detail: string) =
    if ok then
        passed <- passed + 1
        printfn "PASS %s" what
    else
        failed <- failed + 1
        printfn "FAIL %s: %s" what detail

/// Runs `check`; `Ok ()` passes, `Error why` or an exception fails.
let check (what: string) (check: unit -> Result<unit, string>) =
    match (try check () with e -> Error(sprintf "threw %s: %s" (e.GetType().Name) e.Message)) with
    | Ok () -> report true what ""
    | Error why -> report false what why

/// Passes when `got` equals `want`, compared as F# values (records, lists, options).
let equal (what: string) (want: 'T) (got: unit -> 'T) =
    check what (fun () ->
        let value = got ()
        if value = want then Ok() else Error(sprintf "want %A, got %A" want value))

/// Passes when the JSON `got` equals the JSON text `want` (key order does not matter).
let json (what: string) (want: string) (got: unit -> JsonNode) =
    check what (fun () ->
        let value = got ()
        if JsonNode.DeepEquals(JsonNode.Parse want, value) then Ok()
        else Error(sprintf "want %s, got %s" want (if isNull value then "nothing" else value.ToJsonString())))

/// Passes when `assertion` (an Amazon.CDK.Assertions call, which throws on a mismatch) returns.
let holds (what: string) (assertion: unit -> unit) = check what (fun () -> assertion (); Ok())

/// Passes when `action` throws an exception whose message contains `expected`: the library's own message,
/// carried from JavaScript to .NET.
let throws (what: string) (expected: string) (action: unit -> unit) =
    check what (fun () ->
        match (try action (); None with e -> Some e.Message) with
        | Some message when message.Contains(expected: string) -> Ok()
        | Some message -> Error(sprintf "want a message containing %A, got %A" expected message)
        | None -> Error(sprintf "want an exception containing %A, got none" expected))

/// Runs one section of checks; a section that throws outside a check (while synthesizing) counts as one failure.
let section (name: string) (checks: unit -> unit) =
    printfn "--- %s ---" name
    try checks () with e -> report false name (sprintf "threw %s: %s" (e.GetType().Name) e.Message)

/// `N passed, N failed`, and the exit status: 0 only when nothing failed.
let summary () =
    printfn "%d passed, %d failed" passed failed
    if failed = 0 then 0 else 1

/// A synthesized stack: the assertions API on it, and its template as JSON for exact comparisons.
type Synthesized =
    { Stack: Stack
      Assertions: Template
      Resources: JsonObject }

/// Builds one stack, in its own app, with `build`, and synthesizes it.
let synth (name: string) (build: Stack -> unit) : Synthesized =
    let app = App()
    let stack = Stack(app, name)
    build stack
    let assertions = Template.FromStack stack
    let path = app.Synth().GetStackByName(name).TemplateFullPath
    let template = JsonNode.Parse(File.ReadAllText path)
    { Stack = stack
      Assertions = assertions
      Resources = template["Resources"].AsObject() }

/// The node at `path` under `node`: property names, or indexes ("0") in arrays; null when a property is absent.
let rec at (path: string list) (node: JsonNode) : JsonNode =
    match path, node with
    | [], _ -> node
    | _, null -> null
    | key :: rest, (:? JsonArray as items) -> at rest items[int key]
    | key :: rest, _ -> at rest node[key]

let private resourcesOfType (cfnType: string) (s: Synthesized) =
    s.Resources
    |> Seq.filter (fun r -> r.Value["Type"].GetValue<string>() = cfnType)
    |> Seq.toList

let private only (what: string) (found: Collections.Generic.KeyValuePair<string, JsonNode> list) =
    match found with
    | [ one ] -> one
    | _ -> failwithf "expected one %s, found [%s]" what (found |> List.map (fun r -> r.Key) |> String.concat ", ")

/// The logical ID of the one resource of `cfnType` under the construct `constructId` (its logical ID starts with
/// the construct path without its non-alphanumeric characters).
let logicalId (cfnType: string) (constructId: string) (s: Synthesized) =
    let prefix = constructId |> String.filter Char.IsLetterOrDigit
    (resourcesOfType cfnType s |> List.filter (fun r -> r.Key.StartsWith prefix) |> only (sprintf "%s under '%s'" cfnType constructId)).Key

/// The one resource of `cfnType` (the whole resource: Type, Properties, DeletionPolicy, ...).
let resource (cfnType: string) (s: Synthesized) =
    (resourcesOfType cfnType s |> only cfnType).Value

/// The AWS::ECR::Repository whose RepositoryName is `name`.
let repository (name: string) (s: Synthesized) =
    let named (r: Collections.Generic.KeyValuePair<string, JsonNode>) =
        match r.Value |> at [ "Properties"; "RepositoryName" ] with
        | null -> false
        | n -> n.GetValueKind() = JsonValueKind.String && n.GetValue<string>() = name
    (resourcesOfType "AWS::ECR::Repository" s |> List.filter named |> only (sprintf "repository '%s'" name)).Value

/// One property of the repository named `name` (null when absent).
let prop (name: string) (property: string) (s: Synthesized) =
    repository name s |> at [ "Properties"; property ]

/// A lifecycle rule as a reviewer reads it: priority, what it selects, how it counts, what it does.
type Rule =
    { Priority: int
      TagStatus: string
      TagPrefixes: string list
      CountType: string
      Count: int
      Action: string }

/// The rules of a LifecyclePolicyText, in priority order.
let parseRules (policyText: string) =
    let policy = JsonNode.Parse policyText
    [ for r in policy["rules"].AsArray() ->
          let selection = r["selection"]
          { Priority = r["rulePriority"].GetValue<int>()
            TagStatus = selection["tagStatus"].GetValue<string>()
            TagPrefixes =
              match selection["tagPrefixList"] with
              | null -> []
              | l -> [ for p in l.AsArray() -> p.GetValue<string>() ]
            CountType = selection["countType"].GetValue<string>()
            Count = selection["countNumber"].GetValue<int>()
            Action = (r |> at [ "action"; "type" ]).GetValue<string>() } ]
    |> List.sortBy (fun r -> r.Priority)

/// The lifecycle policy text of the repository named `name`.
let policyText (name: string) (s: Synthesized) =
    match prop name "LifecyclePolicy" s with
    | null -> failwithf "repository '%s' has no LifecyclePolicy" name
    | p -> p["LifecyclePolicyText"].GetValue<string>()

/// The lifecycle rules of the repository named `name`, in priority order.
let rules (name: string) (s: Synthesized) = parseRules (policyText name s)

/// Shorthands for the expected rules.
let untaggedAfter priority days =
    { Priority = priority; TagStatus = "untagged"; TagPrefixes = []; CountType = "sinceImagePushed"; Count = days; Action = "expire" }

let taggedAfter priority prefix days =
    { untaggedAfter priority days with TagStatus = "tagged"; TagPrefixes = [ prefix ] }

let keepLast priority count =
    { Priority = priority; TagStatus = "any"; TagPrefixes = []; CountType = "imageCountMoreThan"; Count = count; Action = "expire" }

/// The statements of every IAM policy attached to the role with construct id `roleId`.
let roleStatements (roleId: string) (s: Synthesized) =
    let role = logicalId "AWS::IAM::Role" roleId s
    [ for r in resourcesOfType "AWS::IAM::Policy" s do
          let props = r.Value["Properties"]
          if props["Roles"].AsArray() |> Seq.exists (fun x -> x["Ref"].GetValue<string>() = role) then
              yield! (props |> at [ "PolicyDocument"; "Statement" ]).AsArray() ]

/// A statement's actions, whether written as one string or a list.
let actions (statement: JsonNode) =
    match statement["Action"] with
    | :? JsonArray as a -> [ for x in a -> x.GetValue<string>() ]
    | one -> [ one.GetValue<string>() ]

/// The image of the first container of the one AWS::ECS::TaskDefinition, as JSON text.
let containerImage (s: Synthesized) =
    (resource "AWS::ECS::TaskDefinition" s |> at [ "Properties"; "ContainerDefinitions"; "0"; "Image" ]).ToJsonString()

/// `{"Fn::GetAtt": [logicalId, "Arn"]}` and `{"Ref": logicalId}`, as JSON text.
let arnOf (logicalId: string) = sprintf """{"Fn::GetAtt":["%s","Arn"]}""" logicalId
let refTo (logicalId: string) = sprintf """{"Ref":"%s"}""" logicalId

/// Whether the JSON `node` equals the JSON text `text`.
let sameJson (node: JsonNode) (text: string) = JsonNode.DeepEquals(node, JsonNode.Parse text)
