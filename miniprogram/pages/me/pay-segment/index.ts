/**
 * The Me page's 我的消费 section: the buyer segment (RFM) train's payment step computed from the
 * user's pay-verified orders, as the page's `profile.get` answered it (no request of its own).
 */
import { measuredPart } from '../../../behaviors/measured';
import { paymentsDetail, PAYMENTS_NOTE, purchaseText, type Payments, type Purchase } from './view';

interface PaySegmentData {
  label: string;
  detail: string;
  note: string;
  /** The purchase-propensity rank ('' when not scored); not `purchase`, the property's name. */
  rank: string;
}

Component<
  PaySegmentData,
  {
    payments: { type: ObjectConstructor; value: null };
    purchase: { type: ObjectConstructor; value: null };
  },
  Record<string, never>,
  [typeof measuredPart]
>({
  // its setData counts in the Me page's meter
  behaviors: [measuredPart],
  properties: { payments: { type: Object, value: null }, purchase: { type: Object, value: null } },
  data: {
    label: '尚未购买',
    detail: '还没有经微信支付确认的订单',
    note: PAYMENTS_NOTE,
    rank: '',
  },
  observers: {
    purchase(p: Purchase | null) {
      this.setData({ rank: purchaseText(p) });
    },
    payments(p: Payments | null) {
      this.setData(
        p
          ? { label: p.segmentLabel, detail: paymentsDetail(p) }
          : { label: '尚未购买', detail: '还没有经微信支付确认的订单' },
      );
    },
  },
});
