/**
 * `npm run bench:social`: the social engine on SNAP ego-Facebook with the protocol of
 * ../shared/BENCHMARKS.md §3, beside ../shared/anchors/social_anchor.py (networkx) in the same run.
 *   --edges FILE   any edge list instead (directed lists are taken as undirected)
 *   --labels FILE  node labels ("node label" a line): also NMI of the communities against them
 *   --json         print {"modularity", "communities", "recall10", "precision10", "nmi", "seconds"}
 *   --no-anchor    skip the anchor (it needs Debian's python3-networkx)
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { detectCommunities } from '../server/engine/social/communities';
import { buildGraph, neighbourIndex } from '../server/engine/social/graph';
import {
  communityArray,
  heldOutByNode,
  recallAt,
  selectLinkPredictor,
} from '../server/engine/social/selection';
import { idOrder, nmi, readEdgeList, readLabels, splitLines } from './social/protocol';

const repoRoot = resolve(__dirname, '..');
const shared = resolve(repoRoot, '../shared');
const { values: args } = parseArgs({
  options: {
    edges: { type: 'string' },
    labels: { type: 'string' },
    json: { type: 'boolean', default: false },
    'no-anchor': { type: 'boolean', default: false },
  },
});

const K = 10;
const r4 = (x: number): number => Math.round(x * 1e4) / 1e4;

function main(): void {
  const edgesPath = args.edges
    ? resolve(args.edges)
    : resolve(shared, 'datasets/social/facebook_combined.txt');
  if (!existsSync(edgesPath)) {
    console.log(`bench:social: edge list not found at ${edgesPath}; nothing measured.`);
    return;
  }
  const started = performance.now();
  const list = readEdgeList(edgesPath);
  const whole = buildGraph(list.lines, list.nodes);
  const comm = detectCommunities(whole, { seeds: [0, 1, 2, 3, 4], weight: null });
  const louvainSeconds = (performance.now() - started) / 1000;
  let nmiValue: number | null = null;
  if (args.labels) {
    const labels = readLabels(resolve(args.labels));
    const nodes = list.nodes.filter((n) => labels.has(n));
    nmiValue = nmi(
      nodes.map((n) => labels.get(n) as string),
      nodes.map((n) => comm.of.get(n) as number),
    );
  }

  const t1 = performance.now();
  const { train, test } = splitLines(list.lines);
  // Model selection sees the training edges only (a validation split carved from them).
  const chosen = selectLinkPredictor(list.nodes, train, { k: K, order: idOrder });
  const g = buildGraph(train, list.nodes);
  const idx = neighbourIndex(g, idOrder);
  const held = heldOutByNode(idx, test);
  const community = chosen.scorer === 'learned' ? communityArray(g, idx, 0) : null;
  const ours = recallAt(idx, held, K, chosen.scorer, chosen.model, community);
  const aa = recallAt(idx, held, K, 'adamic-adar', null, null);
  const linkSeconds = (performance.now() - t1) / 1000;
  const seconds = (performance.now() - started) / 1000;

  if (args.json) {
    console.log(
      JSON.stringify({
        modularity: r4(comm.modularity),
        communities: comm.count,
        recall10: r4(ours.recall),
        precision10: r4(ours.precision),
        nmi: nmiValue === null ? null : r4(nmiValue),
        seconds: Math.round(seconds * 100) / 100,
      }),
    );
  } else {
    const name = edgesPath.split('/').pop();
    console.log(`${name}: ${whole.order} nodes, ${whole.size} edges (this project)`);
    console.log(
      `  Louvain graphology: modularity=${comm.modularity.toFixed(4)} communities=${comm.count} (best of seeds 0-4: ${comm.seed}; ${(louvainSeconds / 5).toFixed(2)}s per run)`,
    );
    if (nmiValue !== null) console.log(`  NMI vs ground truth = ${nmiValue.toFixed(4)}`);
    const val = Object.entries(chosen.validation)
      .map(([s, r]) => `${s} ${r.toFixed(4)}`)
      .join(', ');
    console.log(`  validation Recall@10 (training edges only): ${val} -> ${chosen.scorer}`);
    console.log(
      `  friends ${'adamic-adar'.padEnd(18)} Recall@10=${aa.recall.toFixed(4)} Precision@10=${aa.precision.toFixed(4)}`,
    );
    console.log(
      `  friends ${chosen.scorer.padEnd(18)} Recall@10=${ours.recall.toFixed(4)} Precision@10=${ours.precision.toFixed(4)} (selection, fit and scoring ${linkSeconds.toFixed(2)}s)`,
    );
    console.log(`  whole run ${seconds.toFixed(2)}s`);
  }
  if (!args['no-anchor']) runAnchor(edgesPath);
}

function runAnchor(edgesPath: string): void {
  const script = resolve(shared, 'anchors/social_anchor.py');
  const argv = [script, edgesPath, ...(args.labels ? [resolve(args.labels)] : [])];
  const t0 = performance.now();
  try {
    const out = execFileSync('/usr/bin/python3', argv, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const line = `anchor (networkx, same run, ${((performance.now() - t0) / 1000).toFixed(2)}s):\n${out}`;
    if (args.json) process.stderr.write(line);
    else process.stdout.write(line);
  } catch (err) {
    const why = (err as { stderr?: string }).stderr?.trim().split('\n').pop() ?? String(err);
    const hint = /No module named|ENOENT/.test(why)
      ? '; install with: apt-get update && apt-get install -y python3-networkx'
      : '';
    const line = `anchor failed (${why})${hint}\n`;
    if (args.json) process.stderr.write(line);
    else process.stdout.write(line);
  }
}

main();
