package zapcw

// InternalMark is the field NewSDKLogger adds to the SDK's logs of a
// Shipper's own API calls.
var InternalMark = internalMark
