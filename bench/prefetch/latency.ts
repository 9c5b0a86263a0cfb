/**
 * The network latency model of bench:prefetch (docs/simulation.md): a device is on Wi-Fi 70 % of
 * the time and on 4G otherwise; one `content` call takes a log-normal time (median 180 ms on
 * Wi-Fi, 320 ms on 4G, σ of the log 0.5 and 0.6), and now and then (3 %) meets a cold cloud
 * function instance, which adds 600–1,200 ms. The detail page makes its two calls in parallel,
 * so its time to content is the slower of the two. A user taps a card after reading down to it:
 * 1.2 s per place down the page plus an exponential pause (mean 2 s) from the page's render.
 */
type Rng = () => number;

export interface LatencyModel {
  wifiShare: number;
  medianMs: { wifi: number; cellular: number };
  sigma: { wifi: number; cellular: number };
  coldShare: number;
  coldMs: [number, number];
  msPerPlace: number;
  meanPauseMs: number;
}

export const LATENCY: LatencyModel = {
  wifiShare: 0.7,
  medianMs: { wifi: 180, cellular: 320 },
  sigma: { wifi: 0.5, cellular: 0.6 },
  coldShare: 0.03,
  coldMs: [600, 1200],
  msPerPlace: 1200,
  meanPauseMs: 2000,
};

/** A standard normal draw (Box–Muller). */
function normal(rand: Rng): number {
  const u = Math.max(rand(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

/** One call's time on a network. */
export function callMs(rand: Rng, wifi: boolean, m: LatencyModel = LATENCY): number {
  const net = wifi ? 'wifi' : 'cellular';
  const t = m.medianMs[net] * Math.exp(m.sigma[net] * normal(rand));
  const cold = rand() < m.coldShare ? m.coldMs[0] + (m.coldMs[1] - m.coldMs[0]) * rand() : 0;
  return t + cold;
}

/** A detail payload: two calls in parallel. */
export const detailMs = (rand: Rng, wifi: boolean, m: LatencyModel = LATENCY): number =>
  Math.max(callMs(rand, wifi, m), callMs(rand, wifi, m));

/** When the user taps the card `k` places down the page, ms after the page rendered. */
export const tapMs = (rand: Rng, k: number, m: LatencyModel = LATENCY): number =>
  k * m.msPerPlace - m.meanPauseMs * Math.log(Math.max(rand(), 1e-12));
