// The state tables of the reference, rendered from the spec's data: each change-state
// operation carries its machine in `x-transitions` ({ refusal, refuses?, rows: [{ from, event,
// to, requires?, refusal? }] }), the one source the mock's sandbox also reads. The table goes at
// the end of the operation's description; nothing in the spec repeats it.

/** The markdown table of one machine. */
export function transitionTable(machine) {
  const lines = [
    "| from | `state` sent | to |",
    "|---|---|---|",
    ...machine.rows.map(
      (r) => `| \`${r.from}\` | \`${r.event}\`${r.requires ? ` (with \`${r.requires}\`)` : ""} | \`${r.to}\` |`,
    ),
  ];
  const refusals = [`any other: 422 \`${machine.refusal}\``];
  if (machine.refuses?.length) refusals.push(`${machine.refuses.map((e) => `\`${e}\``).join(", ")} from every status`);
  for (const r of new Set(machine.rows.filter((r) => r.refusal).map((r) => `${r.requires}\`: 422 \`${r.refusal}`)))
    refusals.push(`without \`${r}\``);
  return `**Transitions**\n\n${lines.join("\n")}\n\nRefused: ${refusals.join("; ")}.`;
}

/** Appends its table to the description of every operation that has `x-transitions`. */
export function renderTransitions(operations) {
  let n = 0;
  for (const op of operations) {
    const machine = op.operation["x-transitions"];
    if (!machine) continue;
    op.operation.description = `${op.operation.description ?? ""}\n\n${transitionTable(machine)}`.trimStart();
    n++;
  }
  return n;
}
