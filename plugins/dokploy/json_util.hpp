// Small helpers over Poco::JSON for reading Dokploy's rows (missing and null read as empty) and
// writing request bodies.
#pragma once

#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <optional>
#include <string>
#include <vector>

namespace dpp::dokploy::json {

using Object = Poco::JSON::Object::Ptr;
using Array = Poco::JSON::Array::Ptr;

// Throws Poco::Exception on malformed text.
Poco::Dynamic::Var parse(const std::string& text);
std::string write(const Poco::JSON::Object& object);

// nullptr when `value` is not an object / array.
Object as_object(const Poco::Dynamic::Var& value);
Array as_array(const Poco::Dynamic::Var& value);

Object object(const Object& parent, const std::string& key);
Array array(const Object& parent, const std::string& key);
std::vector<Object> objects(const Array& array);
// Strings as they are, numbers and booleans as text, missing or null as "".
std::string text(const Object& parent, const std::string& key);
std::optional<std::string> optional_text(const Object& parent, const std::string& key);
bool flag(const Object& parent, const std::string& key);
bool has(const Object& parent, const std::string& key);

// A body with its keys in insertion order (readable logs and stable tests).
Poco::JSON::Object body();
// A JSON null, for keys that are required but may be null.
Poco::Dynamic::Var null();

}  // namespace dpp::dokploy::json
