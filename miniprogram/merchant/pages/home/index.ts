/** Merchant home (subpackage `merchant`): an announcement until the campaign tools land. */
Component({});
