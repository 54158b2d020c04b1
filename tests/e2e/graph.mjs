// Test graph for the end-to-end tests: no LLM, behaviour steered by the input.
//   {messages: [...]}                 -> appends AI "echo: <last human message>"
//   {..., sleep_ms: N}                -> `prepare` sleeps N ms first (cancellable runs)
//   {..., fail: "text"}               -> `reply` throws Error("text") (failed runs)
//   interrupt_before: ["reply"]       -> stops at the breakpoint after `prepare`
//   {..., review: "question"}         -> `human_review` calls interrupt({question}): the run ends
//                                        "interrupted"; a run with command {resume: answer}
//                                        adds AI "review: <answer>", then `reply` runs
// `prepare` also emits a custom stream event ({stage: "prepare", ...}).
// The steering keys are untracked (never checkpointed), so they do not leak
// into later runs on the same thread and are not in the /wait output or thread
// state; they can still show up in the run's own streamed `values` events and
// in the `values` of its webhook/join after a cancel.
import {
  Annotation,
  interrupt,
  MessagesAnnotation,
  StateGraph,
  UntrackedValueChannel,
} from "@langchain/langgraph";
import { AIMessage } from "@langchain/core/messages";

const State = Annotation.Root({
  ...MessagesAnnotation.spec,
  sleep_ms: new UntrackedValueChannel(),
  fail: new UntrackedValueChannel(),
  // Tracked: the resumed run must still see the question. `human_review` clears it once answered.
  review: Annotation(),
});

const sleep = (ms, signal) =>
  new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      reject(signal.reason ?? new Error("aborted"));
    }, { once: true });
  });

function lastHumanText(messages) {
  const human = [...messages].reverse().find((m) => m._getType?.() === "human");
  if (!human) return "";
  return typeof human.content === "string" ? human.content : JSON.stringify(human.content);
}

async function prepare(state, config) {
  const ms = Number(state.sleep_ms ?? 0);
  config.writer?.({ stage: "prepare", sleep_ms: ms });
  if (ms > 0) await sleep(ms, config.signal);
  return {};
}

async function review(state) {
  const answer = interrupt({ question: String(state.review) });
  const text = typeof answer === "string" ? answer : JSON.stringify(answer);
  return { messages: [new AIMessage(`review: ${text}`)], review: null };
}

async function reply(state) {
  if (state.fail != null) throw new Error(String(state.fail));
  return { messages: [new AIMessage(`echo: ${lastHumanText(state.messages)}`)] };
}

export const graph = new StateGraph({ stateSchema: State, input: State, output: MessagesAnnotation })
  .addNode("prepare", prepare)
  .addNode("human_review", review)
  .addNode("reply", reply)
  .addEdge("__start__", "prepare")
  .addConditionalEdges("prepare", (state) => (state.review != null ? "human_review" : "reply"), [
    "human_review",
    "reply",
  ])
  .addEdge("human_review", "reply")
  .addEdge("reply", "__end__")
  .compile();
