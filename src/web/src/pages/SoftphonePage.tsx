import { SoftphonePanel } from '../components/SoftphonePanel';

/** The softphone on its own page; the call keeps running while you move around the console. */
export function SoftphonePage() {
  return <div className="stack softphone-page"><SoftphonePanel /></div>;
}
