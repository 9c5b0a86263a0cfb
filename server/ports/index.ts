/** The storage ports, bundled. Adapters are chosen in one place: server/adapters/<kind>/index.ts. */
import type { Ads } from './ads';
import type { AdImageStorage } from './ad-images';
import type { BlobStore } from './blobs';
import type { Catalog } from './catalog';
import type { Comments } from './comments';
import type { ContentSafety } from './content-safety';
import type { Counters } from './counters';
import type { CustomerServiceChannel } from './customer-service';
import type { FaqEntries, SupportAsks } from './faq';
import type { EventLog } from './events';
import type { ExperimentStore } from './experiments';
import type { Checkpoints } from './checkpoints';
import type { Leases } from './leases';
import type { MerchantDirectory } from './merchants';
import type { ModelRegistry } from './models';
import type { Likes } from './likes';
import type { SubscribeMessenger } from './subscribe-messages';
import type { Subscriptions } from './subscriptions';
import type { Trips } from './trips';
import type { ItemNeighbours } from './neighbours';
import type { PersonalData } from './personal-data';
import type { PrivacyStore } from './privacy';
import type { UserProfiles } from './profiles';
import type { Rollups } from './rollups';
import type { SearchQueries } from './search-queries';
import type { SlateLog } from './slates';
import type { Social } from './social';
import type { Orders } from './orders';
import type { PaymentService } from './payments';
import type { OpenData } from './open-data';

export type { Ads } from './ads';
export type { AdImageStorage } from './ad-images';
export type { BlobStore } from './blobs';
export type { Catalog, CatalogQuery } from './catalog';
export type {
  CommentPosition,
  CommentReport,
  Comments,
  Moderation,
  ReportReason,
  StoredComment,
} from './comments';
export { REPORT_REASONS } from './comments';
export type { ContentSafety, SafetyScene, SafetyVerdict } from './content-safety';
export type { CounterDelta, CounterKey, Counters, CounterValues } from './counters';
export type { AppendResult, EventLog, EventPage, StoredEvent } from './events';
export type { ExperimentStore } from './experiments';
export type {
  AskRecord,
  AskVerdict,
  FaqDictionary,
  FaqEntries,
  FaqEntry,
  SupportAsks,
} from './faq';
export { PLATFORM_SCOPE } from './faq';
export type { CustomerServiceChannel, OutgoingMessage } from './customer-service';
export { CustomerServiceError } from './customer-service';
export type { Checkpoint, Checkpoints } from './checkpoints';
export type { Lease, Leases } from './leases';
export type { Invitation, MerchantDirectory } from './merchants';
export type {
  ModelMetrics,
  ModelRegistry,
  ModelStatus,
  ModelVersion,
  ServingPointer,
} from './models';
export type { LikeChange, LikeEntry, Likes } from './likes';
export type { SubscribeMessage, SubscribeMessenger } from './subscribe-messages';
export { SubscribeMessageError } from './subscribe-messages';
export type { SubscriptionSend, Subscriptions, TakeResult } from './subscriptions';
export type { TripEntry, Trips } from './trips';
export type { ItemNeighbours, NeighbourList } from './neighbours';
export type { PersonalData, PersonalPage } from './personal-data';
export type { AccountSettings, ConsentRecord, ErasureJob, PrivacyStore } from './privacy';
export type { UserProfile, UserProfiles } from './profiles';
export type { AdReportDim, AdReportUnit, ExperimentUnit, PerfCell, Rollups } from './rollups';
export type { ServedSlate, SlateCard, SlateLog } from './slates';
export type { HotList, QueryCount, SearchQueries } from './search-queries';
export type {
  CreateOutcome,
  Order,
  OrderAttribution,
  Orders,
  PaidCursor,
  RefundCursor,
  ReserveLimits,
} from './orders';
export type {
  PaymentService,
  RefundQuery,
  RefundRequest,
  TradeQuery,
  TradeState,
  UnifiedOrder,
} from './payments';
export { PaymentRejected } from './payments';
export type {
  Follow,
  GroupMembership,
  LinkKind,
  Social,
  SocialFeatures,
  SocialLink,
  SocialRecord,
} from './social';
export type { OpenData } from './open-data';
export { OpenDataRejected } from './open-data';

export interface Stores {
  events: EventLog;
  counters: Counters;
  catalog: Catalog;
  blobs: BlobStore;
  /** Ad images: clients' staged uploads and published creatives' images. */
  adImages: AdImageStorage;
  ads: Ads;
  slates: SlateLog;
  rollups: Rollups;
  profiles: UserProfiles;
  neighbours: ItemNeighbours;
  models: ModelRegistry;
  checkpoints: Checkpoints;
  leases: Leases;
  privacy: PrivacyStore;
  personal: PersonalData;
  merchants: MerchantDirectory;
  experiments: ExperimentStore;
  comments: Comments;
  likes: Likes;
  /** Accepted one-time subscription-message sends per user and template, and the sends that took one. */
  subscriptions: Subscriptions;
  /** Not storage: WeChat's subscription messages (the local host's stand-in keeps them in an outbox). */
  subscribeMessages: SubscribeMessenger;
  /** Each user's 行程 (旅游出行). */
  trips: Trips;
  /** Who searched what (keyed, for distinct-user counts) and the rolled-up 热门搜索. */
  searchQueries: SearchQueries;
  faq: FaqEntries;
  asks: SupportAsks;
  /** Not storage: WeChat's text check of what users post (the local host's stand-in: LOCAL ONLY). */
  contentSafety: ContentSafety;
  /** Not storage: WeChat's customer-service messages (the local host keeps them in an outbox). */
  customerService: CustomerServiceChannel;
  social: Social;
  orders: Orders;
  /** Not storage: WeChat Pay (cloud payments; the local host's stand-in in local mode). */
  payments: PaymentService;
  /** Not storage: WeChat open data behind a cloudID (the local host's stand-in in local mode). */
  openData: OpenData;
  close(): Promise<void>;
}
