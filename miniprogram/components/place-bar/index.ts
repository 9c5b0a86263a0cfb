/**
 * The 旅行 channel's place bar (旅游出行): 附近 asks for the user's location (wx.getLocation,
 * GCJ-02) only when tapped — WeChat asks for the permission then — and 选择目的地 picks a
 * destination city. It triggers `change` with what the feed should send with its requests
 * ({ location?, destination? }); the feed keeps it in memory for the page's life only. A refused
 * permission says so and offers the settings page; the destination still works.
 */
import { measuredPart } from '../../behaviors/measured';
import { TRAVEL_CITIES } from '../../pages/feed/channels';

export interface PlaceChoice {
  location?: { lat: number; lng: number };
  destination?: string;
}

interface PlaceData {
  located: boolean;
  locating: boolean;
  destination: string;
  picking: boolean;
  cities: readonly string[];
  message: string;
  canOpenSetting: boolean;
}

type PlaceMethods = {
  onLocate(): Promise<void>;
  onOpenDestination(): void;
  onCloseDestination(): void;
  onDestination(e: WechatMiniprogram.CustomEvent<{ value: string }>): void;
  onClear(): void;
  onOpenSetting(): void;
  emit(): void;
};

interface PlaceInstance {
  location: { lat: number; lng: number } | undefined;
}

Component<PlaceData, Record<string, never>, PlaceMethods, [typeof measuredPart], PlaceInstance>({
  // Its named taps are counted (services/features.ts).
  behaviors: [measuredPart],
  data: {
    located: false,
    locating: false,
    destination: '',
    picking: false,
    cities: TRAVEL_CITIES,
    message: '',
    canOpenSetting: false,
  },

  lifetimes: {
    created() {
      this.location = undefined;
    },
  },

  methods: {
    async onLocate() {
      if (this.data.locating) return;
      this.setData({ locating: true, message: '', canOpenSetting: false });
      try {
        const r = await wx.getLocation({ type: 'gcj02' });
        this.location = { lat: r.latitude, lng: r.longitude };
        this.setData({ located: true, locating: false });
        this.emit();
      } catch (err) {
        const denied = /auth deny|auth denied|permission/i.test(
          (err as { errMsg?: string }).errMsg ?? '',
        );
        this.setData({
          locating: false,
          message: denied
            ? '未允许使用位置：可在设置中允许，或选择目的地'
            : '暂时无法获取位置，请稍后再试或选择目的地',
          canOpenSetting: denied,
        });
      }
    },

    onOpenDestination() {
      this.setData({ picking: true });
    },

    onCloseDestination() {
      this.setData({ picking: false });
    },

    onDestination(e) {
      this.setData({ destination: e.detail.value, picking: false });
      this.emit();
    },

    onClear() {
      this.location = undefined;
      this.setData({ located: false, destination: '', message: '', canOpenSetting: false });
      this.emit();
    },

    onOpenSetting() {
      wx.openSetting({});
    },

    emit() {
      const choice: PlaceChoice = {
        ...(this.location ? { location: this.location } : {}),
        ...(this.data.destination ? { destination: this.data.destination } : {}),
      };
      this.triggerEvent('change', choice);
    },
  },
});
